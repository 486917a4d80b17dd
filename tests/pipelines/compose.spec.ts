import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { parse } from 'yaml'
import { stackServices } from '../../pipelines/lib/stack.ts'
import { root } from './helpers/pipeline.ts'

interface ComposeService {
  image: string
  build?: { dockerfile: string }
  command?: string[]
  healthcheck?: { test: string[] }
  depends_on?: Record<string, { condition: string }>
  environment?: Record<string, string>
  ports?: string[]
}

const compose = parse(readFileSync(join(root, 'docker/compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>
}
const stack = stackServices({ dbPassword: 'x', appKey: 'y' })

test.group('docker/compose.yml and the docker-test stack', () => {
  test('have the same services, commands and health checks', ({ assert }) => {
    assert.sameMembers(
      Object.keys(compose.services),
      stack.map((service) => service.name)
    )
    for (const service of stack) {
      const declared = compose.services[service.name]
      assert.equal(declared.command?.[0], service.command?.[0], `${service.name} command`)
      assert.deepEqual(
        declared.healthcheck?.test,
        service.healthcheck && ['CMD', ...service.healthcheck]
      )
      if (service.image === 'app') {
        assert.equal(
          declared.build?.dockerfile,
          'docker/Dockerfile',
          `${service.name} builds the ngip image`
        )
      }
    }
  })

  test('start each service after the same ones, as compose conditions', ({ assert }) => {
    for (const service of stack) {
      const dependsOn = compose.services[service.name].depends_on ?? {}
      const expected = Object.fromEntries(
        service.after.map((name) => {
          const oneShot = stack.find((other) => other.name === name)!.oneShot
          return [name, oneShot ? 'service_completed_successfully' : 'service_healthy']
        })
      )
      const declared = Object.fromEntries(
        Object.entries(dependsOn).map(([name, c]) => [name, c.condition])
      )
      assert.deepEqual(declared, expected, `${service.name} depends_on`)
    }
  })

  test('give the app roles the same settings, and publish only web, ping and smtpd', ({
    assert,
  }) => {
    for (const service of stack.filter((s) => s.image === 'app')) {
      const environment = compose.services[service.name].environment!
      assert.sameMembers(
        Object.keys(environment),
        Object.keys(service.env),
        `${service.name} environment`
      )
      assert.equal(Boolean(compose.services[service.name].ports), Boolean(service.publish))
    }
  })
})
