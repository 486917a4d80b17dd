import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'

/**
 * The lint rules in eslint.config.js that keep the parts apart (import-x/no-restricted-paths)
 * and the imports acyclic (import-x/no-cycle), run through ESLint's Node API on snippets
 * linted as if they were files of the repository.
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
const eslint = new ESLint({ cwd: root })

async function ruleHits(filePath: string, code: string, rule: string) {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` })
  return result.messages.filter((message) => message.ruleId === rule)
}

const BOUNDARY = 'import-x/no-restricted-paths'
const CYCLE = 'import-x/no-cycle'

test.group('Lint: boundaries between the parts', () => {
  for (const part of ['ping', 'lib', 'pipelines', 'infra']) {
    test(`${part}/ may not import the app by alias or by relative path`, async ({ assert }) => {
      const code = [
        "import { ApiKeyService } from '#services/accounts/api_key_service'",
        "import ApiKeys from '../app/services/accounts/api_key_service.js'",
        "import env from '#start/env'",
        'export const used = [ApiKeyService, ApiKeys, env]',
        '',
      ].join('\n')
      const hits = await ruleHits(`${part}/boundary_probe.ts`, code, BOUNDARY)
      assert.deepEqual(
        hits.map((hit) => hit.line),
        [1, 2, 3],
        JSON.stringify(hits)
      )
      assert.include(hits[0].message, `${part}/ stands on its own`)
    })
  }

  test('ping/ may import lib/ but not pipelines/ or infra/', async ({ assert }) => {
    const code = [
      "import { UUID_RE } from '#lib/uuid'",
      "import { oneOf } from '../pipelines/lib/settings.ts'",
      "import { ENV_NAMES } from '../infra/lib/config.js'",
      'export const used = [UUID_RE, oneOf, ENV_NAMES]',
      '',
    ].join('\n')
    const hits = await ruleHits('ping/boundary_probe.ts', code, BOUNDARY)
    assert.deepEqual(
      hits.map((hit) => hit.line),
      [2, 3],
      JSON.stringify(hits)
    )
  })

  test('lib/ imports nothing outside itself, not even the edge', async ({ assert }) => {
    const code =
      "import { loadEdgeConfig } from '#ping/config'\nexport const used = loadEdgeConfig\n"
    const hits = await ruleHits('lib/boundary_probe.ts', code, BOUNDARY)
    assert.lengthOf(hits, 1)
  })

  test('services know no HTTP and models no services', async ({ assert }) => {
    const http = [
      "import NotFoundException from '#exceptions/not_found_exception'",
      "import TokenPolicy from '#policies/token_policy'",
      "import { visibleToken } from '#policies/visible'",
      'export const used = [NotFoundException, TokenPolicy, visibleToken]',
      '',
    ].join('\n')
    const inService = await ruleHits('app/services/tokens/boundary_probe.ts', http, BOUNDARY)
    assert.deepEqual(
      inService.map((hit) => hit.line),
      [1, 2, 3],
      JSON.stringify(inService)
    )
    const service =
      "import TokenService from '#services/tokens/token_service'\nexport const used = TokenService\n"
    assert.lengthOf(await ruleHits('app/models/boundary_probe.ts', service, BOUNDARY), 1)
    assert.lengthOf(await ruleHits('app/controllers/boundary_probe.ts', service, BOUNDARY), 0)
  })

  test('the app may import lib/ and the edge', async ({ assert }) => {
    const code = "import { UUID_RE } from '#lib/uuid'\nexport const used = UUID_RE\n"
    assert.lengthOf(await ruleHits('app/services/boundary_probe.ts', code, BOUNDARY), 0)
  })
})

test.group('Lint: no import cycles', () => {
  test('an import back into a file that imports you is a cycle', async ({ assert }) => {
    // lib/ping_message.ts imports UUID_RE from lib/uuid.ts; uuid importing it back closes the loop.
    const uuid = readFileSync(`${root}lib/uuid.ts`, 'utf8')
    const code = `import { runDuration } from '#lib/ping_message'\nexport const used = runDuration\n${uuid}`
    const hits = await ruleHits('lib/uuid.ts', code, CYCLE)
    assert.lengthOf(hits, 1, JSON.stringify(hits))
  })

  test('pipelines settings taking a value from pipelines config again is a cycle', async ({
    assert,
  }) => {
    // pipelines/config.ts imports its settings from pipelines/lib/settings.ts; the reverse
    // import (as `oneOf` once was) would close the loop.
    const settings = readFileSync(`${root}pipelines/lib/settings.ts`, 'utf8')
    const code = `import { STAGES } from '../config.ts'\nexport const used = STAGES\n${settings}`
    const hits = await ruleHits('pipelines/lib/settings.ts', code, CYCLE)
    assert.lengthOf(hits, 1, JSON.stringify(hits))
  })

  test('the whole repository lints clean', async ({ assert }) => {
    const results = await eslint.lintFiles(['.'])
    const problems = results.flatMap((result) =>
      result.messages.map((m) => `${result.filePath}:${m.line} ${m.ruleId} ${m.message}`)
    )
    assert.deepEqual(problems, [])
  }).timeout(120_000)
})
