import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import Ping from '#models/ping'
import Flip from '#models/flip'
import type Channel from '#models/channel'
import { makeApiKey, makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { uniqueKeyOf } from '#lib/uuid'
import { appUrl } from '#config/app'
import db from '@adonisjs/lucid/services/db'
import Token from '#models/token'
import TokenService from '#services/tokens/token_service'
import UserService from '#services/accounts/user_service'
import ProjectService from '#services/projects/project_service'
import { defaultProjectId } from '#services/projects/project_access'

/** What a case's request and expectations may name, filled in per test */
interface World {
  rw: string
  ro: string
  other: string
  token: Token
  theirs: Token
  channel: Channel
  ping: Ping
}

type Key = 'rw' | 'ro' | 'none' | 'wrong' | 'other' | 'body'

interface Case {
  title: string
  method: 'get' | 'post' | 'delete' | 'options'
  path: (w: World) => string
  key: Key
  body?: Record<string, unknown> | string
  status: number
  /** fields the JSON answer holds (a subset) */
  fields?: (w: World) => Record<string, unknown>
  /** keys the JSON answer (or each of its `checks`) must not hold */
  absent?: string[]
  /** the list's names, in order */
  names?: string[]
  text?: string
  headers?: Record<string, string>
  /** send the string body as curl --data does (form-encoded) */
  form?: boolean
}

const CHECK_KEYS = [
  'name',
  'slug',
  'tags',
  'desc',
  'grace',
  'n_pings',
  'status',
  'started',
  'last_ping',
  'next_ping',
  'manual_resume',
  'methods',
  'subject',
  'subject_fail',
  'start_kw',
  'success_kw',
  'failure_kw',
  'filter_subject',
  'filter_body',
]
const READ_WRITE_KEYS = ['uuid', 'ping_url', 'update_url', 'pause_url', 'resume_url', 'channels']

const c = (w: World) => `/api/v3/checks/${w.token.uuid}`

/**
 * The requests of healthchecks' Management API v3 documentation, and what
 * they answer: codes, fields and error texts.
 */
const CASES: Case[] = [
  // List Existing Checks
  {
    title: 'lists the checks with every documented field',
    method: 'get',
    path: () => '/api/v3/checks/',
    key: 'rw',
    status: 200,
    names: ['Backups', 'Web', 'Other'],
  },
  {
    title: 'filters the list by tag, repeated tags all required',
    method: 'get',
    path: () => '/api/v3/checks/?tag=prod&tag=www',
    key: 'rw',
    status: 200,
    names: ['Backups'],
  },
  {
    title: 'filters the list by one tag',
    method: 'get',
    path: () => '/api/v3/checks/?tag=prod',
    key: 'rw',
    status: 200,
    names: ['Backups', 'Web'],
  },
  {
    title: 'filters the list by slug',
    method: 'get',
    path: () => '/api/v3/checks/?slug=web',
    key: 'rw',
    status: 200,
    names: ['Web'],
  },
  {
    title: 'a read-only key lists unique keys and no UUIDs',
    method: 'get',
    path: () => '/api/v3/checks/',
    key: 'ro',
    status: 200,
    names: ['Backups', 'Web', 'Other'],
    absent: READ_WRITE_KEYS,
  },
  {
    title: 'a missing key is 401 "missing api key"',
    method: 'get',
    path: () => '/api/v3/checks/',
    key: 'none',
    status: 401,
    fields: () => ({ error: 'missing api key' }),
  },
  {
    title: 'a wrong key is 401 "wrong api key"',
    method: 'get',
    path: () => '/api/v3/checks/',
    key: 'wrong',
    status: 401,
    fields: () => ({ error: 'wrong api key' }),
  },
  // Get a Single Check
  {
    title: 'gets a check by UUID',
    method: 'get',
    path: c,
    key: 'rw',
    status: 200,
    fields: (w) => ({
      uuid: w.token.uuid,
      name: 'Backups',
      slug: 'backups',
      tags: 'prod www',
      timeout: 3600,
      grace: 900,
      status: 'new',
      started: false,
      last_ping: null,
      next_ping: null,
      channels: w.channel.id,
      update_url: `${appUrl}/api/v3/checks/${w.token.uuid}`,
      pause_url: `${appUrl}/api/v3/checks/${w.token.uuid}/pause`,
    }),
  },
  {
    title: 'gets a check by unique key, read-only, with no UUID',
    method: 'get',
    path: (w) => `/api/v3/checks/${uniqueKeyOf(w.token.uuid)}`,
    key: 'ro',
    status: 200,
    fields: (w) => ({ name: 'Backups', unique_key: uniqueKeyOf(w.token.uuid) }),
    absent: READ_WRITE_KEYS,
  },
  {
    title: "another's check is 403",
    method: 'get',
    path: (w) => `/api/v3/checks/${w.theirs.uuid}`,
    key: 'rw',
    status: 403,
  },
  {
    title: 'an unknown check is 404',
    method: 'get',
    path: () => '/api/v3/checks/6f5f7b4e-0000-4000-8000-000000000000',
    key: 'rw',
    status: 404,
  },
  // Create a New Check
  {
    title: 'creates a check: 201, with defaults',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Backups2', tags: 'prod www', timeout: 3600, grace: 60 },
    status: 201,
    fields: () => ({
      name: 'Backups2',
      slug: '',
      tags: 'prod www',
      desc: '',
      timeout: 3600,
      grace: 60,
      status: 'new',
      started: false,
      n_pings: 0,
      manual_resume: false,
      methods: '',
      channels: '',
    }),
  },
  {
    title: 'creates with the key in the body',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'body',
    body: { name: 'From body' },
    status: 201,
    fields: () => ({ name: 'From body' }),
  },
  {
    title: 'unique finds the existing check: 200, updated',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Backups', unique: ['name'], grace: 120 },
    status: 200,
    fields: (w) => ({ uuid: w.token.uuid, grace: 120 }),
  },
  {
    title: 'unique on every listed field: another slug makes a new check',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Backups', slug: 'backups-2', unique: ['name', 'slug'] },
    status: 201,
    fields: () => ({ slug: 'backups-2' }),
  },
  {
    title: 'a cron schedule with a time zone',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Nightly', schedule: '0 3 * * *', tz: 'Europe/Riga', grace: 600 },
    status: 201,
    fields: () => ({ schedule: '0 3 * * *', tz: 'Europe/Riga' }),
    absent: ['timeout'],
  },
  {
    title: 'an OnCalendar schedule, read by its syntax',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Weekdays', schedule: 'Mon..Fri *-*-* 09:00' },
    status: 201,
    fields: () => ({ schedule: 'Mon..Fri *-*-* 09:00', tz: 'UTC' }),
  },
  {
    title: 'channels "*" assigns every channel',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'All', channels: '*' },
    status: 201,
    fields: (w) => ({ channels: w.channel.id }),
  },
  {
    title: 'a channel by name',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Named', channels: 'Ops' },
    status: 201,
    fields: (w) => ({ channels: w.channel.id }),
  },
  {
    title: 'an unknown channel is 400',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Bad', channels: 'nope' },
    status: 400,
    fields: () => ({ error: 'invalid channel identifier: nope' }),
  },
  {
    title: 'subject sets the success keywords and filters the subject',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'Mail', subject: 'SUCCESS', subject_fail: 'ERROR' },
    status: 201,
    fields: () => ({
      subject: 'SUCCESS',
      subject_fail: 'ERROR',
      success_kw: 'SUCCESS',
      failure_kw: 'ERROR',
      filter_subject: true,
    }),
  },
  {
    title: 'a read-only key cannot create: 401',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'ro',
    body: { name: 'x' },
    status: 401,
    fields: () => ({ error: 'wrong api key' }),
  },
  {
    title: 'a too small grace is refused',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'x', grace: 1 },
    status: 400,
    fields: () => ({ error: 'json validation error: grace is too small' }),
  },
  {
    title: 'a timeout given as a string is refused',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'x', timeout: '3600' },
    status: 400,
    fields: () => ({ error: 'json validation error: timeout is not a number' }),
  },
  {
    title: 'a null name is refused',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: null },
    status: 400,
    fields: () => ({ error: 'json validation error: name is not a string' }),
  },
  {
    title: 'a bad schedule is refused',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'x', schedule: '61 * * * *' },
    status: 400,
    fields: () => ({
      error: 'json validation error: schedule is not a valid cron or OnCalendar expression',
    }),
  },
  {
    title: 'a bad time zone is refused',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: { name: 'x', tz: 'Mars/Base' },
    status: 400,
    fields: () => ({ error: 'json validation error: tz is not a valid timezone' }),
  },
  {
    title: 'a body that is not JSON is 400',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: '{not json',
    status: 400,
    fields: () => ({ error: 'could not parse request body' }),
  },
  {
    title: 'a JSON body sent as curl --data sends it (form-encoded) is read as JSON',
    method: 'post',
    path: () => '/api/v3/checks/',
    key: 'rw',
    body: '{"name": "From curl", "tags": "prod", "timeout": 3600}',
    form: true,
    status: 201,
    fields: () => ({ name: 'From curl', tags: 'prod', timeout: 3600 }),
  },
  // Update an Existing Check
  {
    title: 'updates a check by POST',
    method: 'post',
    path: c,
    key: 'rw',
    body: { name: 'Renamed', tags: 'one two', desc: 'hi', methods: 'POST', channels: '' },
    status: 200,
    fields: () => ({ name: 'Renamed', tags: 'one two', desc: 'hi', methods: 'POST', channels: '' }),
  },
  {
    title: 'a schedule turns a simple check into cron',
    method: 'post',
    path: c,
    key: 'rw',
    body: { schedule: '*/5 * * * *' },
    status: 200,
    fields: () => ({ schedule: '*/5 * * * *', tz: 'UTC' }),
    absent: ['timeout'],
  },
  {
    title: "updating another's check is 403",
    method: 'post',
    path: (w) => `/api/v3/checks/${w.theirs.uuid}`,
    key: 'rw',
    body: { name: 'mine now' },
    status: 403,
  },
  {
    title: 'a read-only key cannot update',
    method: 'post',
    path: c,
    key: 'ro',
    body: { name: 'x' },
    status: 401,
    fields: () => ({ error: 'wrong api key' }),
  },
  // Pause / Resume
  {
    title: 'pauses a check',
    method: 'post',
    path: (w) => `${c(w)}/pause`,
    key: 'rw',
    status: 200,
    fields: () => ({ status: 'paused' }),
  },
  {
    title: 'pauses as the documented example does (curl --data "")',
    method: 'post',
    path: (w) => `${c(w)}/pause`,
    key: 'rw',
    body: '',
    form: true,
    status: 200,
    fields: () => ({ status: 'paused', started: false }),
  },
  {
    title: 'resuming a check that is not paused is 409',
    method: 'post',
    path: (w) => `${c(w)}/resume`,
    key: 'rw',
    status: 409,
    text: 'check is not paused',
  },
  // Delete
  {
    title: 'deletes a check and answers with it',
    method: 'delete',
    path: c,
    key: 'rw',
    status: 200,
    fields: (w) => ({ uuid: w.token.uuid, name: 'Backups' }),
  },
  {
    title: 'a read-only key cannot delete',
    method: 'delete',
    path: c,
    key: 'ro',
    status: 401,
  },
  // Pings
  {
    title: "lists a check's pings",
    method: 'get',
    path: (w) => `${c(w)}/pings/`,
    key: 'rw',
    status: 200,
    fields: (w) => ({
      pings: [
        {
          type: 'success',
          n: w.ping.id,
          date: '2026-01-02T03:04:05.000000+00:00',
          method: 'POST',
          remote_addr: '10.0.0.1',
          ua: 'curl/8',
          rid: null,
          duration: 12.35,
          body_url: `${appUrl}/api/v3/checks/${w.token.uuid}/pings/${w.ping.id}/body`,
        },
      ],
    }),
  },
  {
    title: 'a read-only key cannot list pings',
    method: 'get',
    path: (w) => `${c(w)}/pings/`,
    key: 'ro',
    status: 401,
  },
  {
    title: "gets a ping's body",
    method: 'get',
    path: (w) => `${c(w)}/pings/${w.ping.id}/body`,
    key: 'rw',
    status: 200,
    text: 'backup: 42 files',
  },
  {
    title: 'a body of no ping is 404',
    method: 'get',
    path: (w) => `${c(w)}/pings/${w.ping.id + 1000}/body`,
    key: 'rw',
    status: 404,
  },
  // Flips
  {
    title: "lists a check's flips",
    method: 'get',
    path: (w) => `${c(w)}/flips/`,
    key: 'rw',
    status: 200,
    fields: () => ({
      flips: [
        { timestamp: '2026-01-02T05:00:00+00:00', up: 0 },
        { timestamp: '2026-01-02T04:00:00+00:00', up: 1 },
      ],
    }),
  },
  {
    title: 'flips by unique key with a read-only key, from start to end',
    method: 'get',
    path: (w) =>
      `/api/v3/checks/${uniqueKeyOf(w.token.uuid)}/flips/?start=${Date.parse('2026-01-02T03:30:00Z') / 1000}&end=${Date.parse('2026-01-02T04:30:00Z') / 1000}`,
    key: 'ro',
    status: 200,
    fields: () => ({ flips: [{ timestamp: '2026-01-02T04:00:00+00:00', up: 1 }] }),
  },
  {
    title: 'flips of the last seconds',
    method: 'get',
    path: (w) => `${c(w)}/flips/?seconds=3600`,
    key: 'rw',
    status: 200,
    fields: () => ({ flips: [] }),
  },
  {
    title: 'flips with a bad seconds value are 400',
    method: 'get',
    path: (w) => `${c(w)}/flips/?seconds=-1`,
    key: 'rw',
    status: 400,
  },
  // Channels, status
  {
    title: 'lists the channels',
    method: 'get',
    path: () => '/api/v3/channels/',
    key: 'rw',
    status: 200,
    fields: (w) => ({ channels: [{ id: w.channel.id, name: 'Ops', kind: 'webhook' }] }),
  },
  {
    title: 'a read-only key cannot list channels',
    method: 'get',
    path: () => '/api/v3/channels/',
    key: 'ro',
    status: 401,
    fields: () => ({ error: 'wrong api key' }),
  },
  {
    title: "a browser's preflight is answered with healthchecks' CORS headers",
    method: 'options',
    path: () => '/api/v3/checks/',
    key: 'none',
    status: 204,
    headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'X-Api-Key' },
  },
  {
    title: 'answers carry the CORS headers',
    method: 'get',
    path: () => '/api/v3/checks/',
    key: 'ro',
    status: 200,
    headers: { 'access-control-allow-origin': '*' },
  },
  {
    title: 'the status endpoint answers OK',
    method: 'get',
    path: () => '/api/v3/status/',
    key: 'none',
    status: 200,
    text: 'OK',
  },
]

async function makeWorld(): Promise<World> {
  const me = await makeUser()
  const stranger = await makeUser()
  const channel = await makeChannel(me, 'Ops')
  const token = await makeToken(me, {
    name: 'Backups',
    slug: 'backups',
    tags: 'prod www',
    timeout: 3600,
    grace: 900,
    channels: [channel.id],
  })
  await makeToken(me, { name: 'Web', slug: 'web', tags: 'prod' })
  await makeToken(me, { name: 'Other' })
  const theirs = await makeToken(stranger, { name: 'Theirs', tags: 'prod' })
  const ping = await Ping.create({
    tokenId: token.id,
    kind: 'success',
    createdAt: DateTime.fromISO('2026-01-02T03:04:05Z'),
    method: 'POST',
    remoteAddr: '10.0.0.1',
    userAgent: 'curl/8',
    durationMs: 12_345,
    body: Buffer.from('backup: 42 files'),
  })
  for (const [at, status] of [
    ['2026-01-02T04:00:00Z', 'up'],
    ['2026-01-02T05:00:00Z', 'down'],
  ]) {
    await Flip.create({
      tokenId: token.id,
      oldStatus: 'new',
      newStatus: status,
      reason: '',
      createdAt: DateTime.fromISO(at),
    })
  }
  return {
    rw: await makeApiKey(me),
    ro: await makeApiKey(me, 'read-only'),
    other: await makeApiKey(stranger),
    token,
    theirs,
    channel,
    ping,
  }
}

test.group('API v3 (healthchecks): the documented requests', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('{title}')
    .with(CASES)
    .run(async ({ client, assert }, row) => {
      const w = await makeWorld()
      let request = client[row.method](row.path(w))
      const keys: Record<Key, string | undefined> = {
        rw: w.rw,
        ro: w.ro,
        other: w.other,
        wrong: 'ngip_nope.nope',
        none: undefined,
        body: undefined,
      }
      if (keys[row.key]) {
        request = request.header('X-Api-Key', keys[row.key]!)
      }
      if (typeof row.body === 'string') {
        // curl --data sends the JSON as a form, and healthchecks reads it as JSON all the same
        request = row.form ? request.unsafeForm(row.body) : request.unsafeJson(row.body)
      } else if (row.key === 'body' || row.body) {
        request = request.json({ ...row.body, ...(row.key === 'body' ? { api_key: w.rw } : {}) })
      }
      const response = await request
      response.assertStatus(row.status)
      if (row.text !== undefined) {
        assert.equal(response.text(), row.text)
      }
      for (const [name, value] of Object.entries(row.headers ?? {})) {
        assert.equal(response.header(name), value)
      }
      if (row.fields) {
        assert.containSubset(response.body(), row.fields(w))
      }
      const body = response.body()
      const checks: Record<string, unknown>[] =
        row.status < 300 && body && typeof body === 'object'
          ? (body.checks ?? (body.name !== undefined ? [body] : []))
          : []
      if (row.names) {
        assert.deepEqual(
          checks.map((check) => check.name),
          row.names
        )
      }
      for (const check of checks) {
        for (const key of CHECK_KEYS) {
          assert.property(check, key)
        }
        const readonly = row.key === 'ro'
        for (const key of readonly ? READ_WRITE_KEYS : ['unique_key']) {
          assert.notProperty(check, key)
        }
        if (readonly) {
          assert.property(check, 'unique_key')
        }
        for (const key of row.absent ?? []) {
          assert.notProperty(check, key)
        }
      }
    })
})

test.group('API v3 (healthchecks): unique keys', () => {
  test('a unique key is the SHA-1 of the first 16 hex digits of the UUID, as healthchecks', ({
    assert,
  }) => {
    // worked out apart from the code, with Python's hashlib and uuid
    assert.equal(
      uniqueKeyOf('7918b17b-a745-4db1-8575-9d2e07c97f79'),
      '7aef250c5c261a8d68a0c18d41137deb22834bee'
    )
  })
})

test.group('API v3 (healthchecks): a key reaches its Project only', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test("a key of one Project sees none of its User's other Projects; a read-only member's key writes nothing", async ({
    client,
    assert,
  }) => {
    const owner = await makeUser()
    const home = await defaultProjectId(owner.id)
    const other = await ProjectService.create(owner, 'Other')
    const here = await makeToken(owner, { name: 'here' })
    const { token: there } = await TokenService.create(owner, { name: 'there' }, other.id)
    const homeKey = await UserService.createApiKey(owner, 'read-write', 'home', home)
    const otherKey = await UserService.createApiKey(owner, 'read-write', 'other', other.id)

    const listed = await client.get('/api/v3/checks/').header('X-Api-Key', homeKey)
    listed.assertStatus(200)
    assert.deepEqual(
      listed.body().checks.map((check: { name: string }) => check.name),
      ['here']
    )
    const fromOther = await client.get(`/api/v3/checks/${here.uuid}`).header('X-Api-Key', otherKey)
    fromOther.assertStatus(403)
    const created = await client
      .post('/api/v3/checks/')
      .header('X-Api-Key', otherKey)
      .json({ name: 'made there' })
    created.assertStatus(201)
    const made = await Token.findByOrFail('uuid', created.body().ping_url.split('/').pop())
    assert.equal(made.projectId, other.id)
    assert.notEqual(there.projectId, home)

    // A read-only member with a read-write key of that Project: reads, never writes.
    const viewer = await makeUser()
    await db.table('project_members').insert({
      project_id: other.id,
      user_id: viewer.id,
      role: 'read-only',
      created_at: new Date(),
    })
    const viewerKey = await UserService.createApiKey(viewer, 'read-write', 'v', other.id)
    const seen = await client.get('/api/v3/checks/').header('X-Api-Key', viewerKey)
    seen.assertStatus(200)
    assert.lengthOf(seen.body().checks, 2)
    const refused = await client
      .post(`/api/v3/checks/${there.uuid}/pause`)
      .header('X-Api-Key', viewerKey)
    refused.assertStatus(401)
    await there.refresh()
    assert.notEqual(there.status, 'paused')
  })

  test("badges: every tag of the key's Project and * for all, in the six formats, each one served", async ({
    client,
    assert,
  }) => {
    const owner = await makeUser()
    await makeToken(owner, { name: 'db backup', tags: ['prod', 'db'] })
    const key = await makeApiKey(owner, 'read-only')
    const response = await client.get('/api/v3/badges/').header('X-Api-Key', key)
    response.assertStatus(200)
    const badges: Record<string, Record<string, string>> = response.body().badges
    assert.sameMembers(Object.keys(badges), ['*', 'db', 'prod'])
    for (const urls of Object.values(badges)) {
      assert.sameMembers(Object.keys(urls), ['svg', 'svg3', 'json', 'json3', 'shields', 'shields3'])
    }
    const svg = await client.get(new URL(badges.prod.svg3).pathname)
    svg.assertStatus(200)
    assert.include(svg.header('content-type'), 'image/svg+xml')
    const json = await client.get(new URL(badges['*'].json).pathname)
    json.assertStatus(200)
    assert.equal(json.body().status, 'up')
  })
})
