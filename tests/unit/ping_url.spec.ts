import { test } from '@japa/runner'
import { exitStatusAction, parsePingUrl, type ParsedPingUrl } from '#lib/ping_url'

const UUID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const RID = '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const KEY = 'Abc_-123xyzXYZ0987654z'

const uuid = { kind: 'uuid', uuid: UUID }
const slugOf = (pingKey: string, name: string) => ({ kind: 'slug', pingKey, slug: name })
const slug = (name: string) => slugOf(KEY, name)
const route = (target: object, action: string, exitStatus: number | null = null, extra = {}) => ({
  route: {
    target,
    action,
    exitStatus,
    rid: null,
    create: false,
    message: null,
    snoozeMinutes: null,
    ...extra,
  },
})
const error = (code: string) => ({ error: code })

/**
 * [url, expected parse]: every form of SPEC §3 and the ways to get it wrong.
 */
const cases: [string, ParsedPingUrl | object][] = [
  [`/ping/${UUID}`, route(uuid, 'success')],
  [`/${UUID}`, route(uuid, 'success')],
  [`/ping/${UUID}/`, route(uuid, 'success')],
  [`/ping/${UUID}/start`, route(uuid, 'start')],
  [`/${UUID}/start`, route(uuid, 'start')],
  [`/ping/${UUID}/fail`, route(uuid, 'fail')],
  [`/ping/${UUID}/log`, route(uuid, 'log')],
  [`/ping/${UUID}/0`, route(uuid, 'success', 0)],
  [`/ping/${UUID}/1`, route(uuid, 'fail', 1)],
  [`/${UUID}/255`, route(uuid, 'fail', 255)],
  [`/ping/${UUID}/007`, route(uuid, 'fail', 7)],
  [`/ping/${UUID}/256`, error('invalid_url')],
  // Every number above 255 is a 400, however long (healthchecks' `<int:exitstatus>`).
  [`/ping/${UUID}/9999999999`, error('invalid_url')],
  [`/ping/${UUID}/99999999999`, error('invalid_url')],
  [`/ping/${UUID}/99999999999999`, error('invalid_url')],
  [`/${UUID}/${'9'.repeat(400)}`, error('invalid_url')],
  [`/ping/${UUID}/00000000000000`, route(uuid, 'success', 0)],
  // No action: healthchecks reads these as a ping key and a slug (and finds none).
  [`/ping/${UUID}/-1`, route(slugOf(UUID, '-1'), 'success')],
  [`/ping/${UUID}/explode`, route(slugOf(UUID, 'explode'), 'success')],
  [`/ping/${UUID}?rid=${RID}`, route(uuid, 'success', null, { rid: RID })],
  [`/ping/${UUID}/start?rid=${RID.toUpperCase()}`, route(uuid, 'start', null, { rid: RID })],
  [`/ping/${UUID}?rid=not-a-uuid`, error('invalid_uuid')],
  [`/ping/${UUID}?rid=`, route(uuid, 'success')],
  [`/ping/${UUID}/start?rid=`, route(uuid, 'start')],
  [`/ping/${UUID}?rid=%20`, error('invalid_uuid')],
  [`/ping/${UUID}?create=1`, route(uuid, 'success')],
  [`/ping/${UUID.toUpperCase()}`, error('not_found')],
  [`/ping/${UUID.slice(0, -1)}`, error('not_found')],
  [`/ping/${KEY}/nightly-backup`, route(slug('nightly-backup'), 'success')],
  [`/${KEY}/nightly-backup`, route(slug('nightly-backup'), 'success')],
  [`/ping/${KEY}/db_dump/start`, route(slug('db_dump'), 'start')],
  [`/ping/${KEY}/db/3`, route(slug('db'), 'fail', 3)],
  [`/ping/${KEY}/db/300`, error('invalid_url')],
  [`/ping/${KEY}/db/99999999999999`, error('invalid_url')],
  [`/ping/${KEY}/start`, route(slug('start'), 'success')],
  [`/ping/${KEY}/db?create=1`, route(slug('db'), 'success', null, { create: true })],
  [`/ping/${KEY}/db?create=yes`, route(slug('db'), 'success')],
  [`/ping/${KEY}/Nightly-Backup`, error('invalid_url')],
  [`/ping/${KEY}/night.ly`, error('not_found')],
  [`/ping/${KEY}/${'a'.repeat(101)}`, error('not_found')],
  [`/ping/bad.key/db`, error('not_found')],
  [`/ping/${KEY}/db/start/extra`, error('not_found')],
  [`/api/push/${UUID}`, route(uuid, 'success')],
  [`/api/push/${UUID}?status=up&msg=OK&ping=`, route(uuid, 'success', null, { message: 'OK' })],
  [
    `/api/push/${UUID}?status=down&msg=disk%20full`,
    route(uuid, 'fail', null, { message: 'disk full' }),
  ],
  [`/api/push/not-a-uuid`, error('not_found')],
  // ngip's snooze: an ad hoc maintenance window, 60 minutes unless `?minutes=` says
  [`/ping/${UUID}/snooze`, route(uuid, 'snooze', null, { snoozeMinutes: 60 })],
  [`/ping/${UUID}/snooze?minutes=15`, route(uuid, 'snooze', null, { snoozeMinutes: 15 })],
  [`/${UUID}/snooze?minutes=0`, route(uuid, 'snooze', null, { snoozeMinutes: 0 })],
  [`/ping/${KEY}/db/snooze`, route(slug('db'), 'snooze', null, { snoozeMinutes: 60 })],
  [`/ping/${UUID}/snooze?minutes=10081`, error('invalid_url')],
  [`/ping/${UUID}/snooze?minutes=-5`, error('invalid_url')],
  [`/ping/${UUID}/snooze?minutes=1.5`, error('invalid_url')],
  ['/', error('not_found')],
  ['/ping', error('not_found')],
  ['/ping/', error('not_found')],
  ['/favicon.ico', error('not_found')],
  [`/ping/%30f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60`, error('not_found')],
  [`/ping/${UUID}%00`, error('not_found')],
  [`/ping/${UUID}/start\u0000`, error('not_found')],
  [`/ping/${'x'.repeat(5000)}`, error('not_found')],
  [`ping/${UUID}`, error('not_found')],
]

test.group('Ping URL grammar', () => {
  test('{0}')
    .with(cases)
    .run(({ assert }, [url, expected]) => {
      const [path, query = ''] = url.split('?')
      assert.deepEqual(parsePingUrl(path, new URLSearchParams(query)), expected)
    })
})

test.group('Exit status to Ping kind', () => {
  test('{0} makes a {1} Ping')
    .with([
      [0, 'success'],
      [1, 'fail'],
      [2, 'fail'],
      [255, 'fail'],
    ] as const)
    .run(({ assert }, [code, expected]) => {
      assert.equal(exitStatusAction(code), expected)
    })
})
