import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { BOOTSTRAP, buildHostTestImage, docker } from './helpers/build_host_image.ts'
import { GitRemote } from './helpers/git_remote.ts'
import { root } from './helpers/pipeline.ts'

const STATE = '/var/lib/ngip-pipeline'
const NODE_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies
  .node

/**
 * The repository the container's bootstrap clones: the agent's code as it is
 * in this working tree, a package.json pinning pnpm 12.21.0 and the `node`
 * package (the install brings Node 24), and a `pnpm pipeline all` that only
 * says what it ran.
 */
function fixtureFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (const path of readdirSync(join(root, 'pipelines/agent'))) {
    files[`pipelines/agent/${path}`] = readFileSync(join(root, 'pipelines/agent', path), 'utf8')
  }
  files['pipelines/lib/activity.ts'] = readFileSync(join(root, 'pipelines/lib/activity.ts'), 'utf8')
  files['package.json'] = JSON.stringify({
    name: 'ngip-bootstrap-fixture',
    private: true,
    type: 'module',
    packageManager: 'pnpm@12.21.0',
    scripts: { record: 'sh record.sh' },
    devDependencies: { node: NODE_VERSION },
  })
  // The repository's own pipelineBase: without it pnpm would run nothing on main's commit.
  const base = /^pipelineBase: .*$/m.exec(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8'))
  files['pnpm-workspace.yaml'] = `includeWorkspaceRoot: true
${base?.[0] ?? ''}
onlyBuiltDependencies: [node]
allowBuilds:
  node: true
pmOnFail: ignore
tasks:
  record:
    cache: false
pipelines:
  all: [record]
`
  files['record.sh'] =
    'echo "pipeline all on $BRANCH_NAME at $(git rev-parse HEAD) with node $(node --version)"\n'
  return files
}

/** The remote, with its lockfile made by the pinned pnpm on this machine. */
function fixtureRemote(): GitRemote {
  const remote = new GitRemote(fixtureFiles())
  execFileSync('pnpm', ['install', '--lockfile-only', '--silent'], { cwd: remote.work })
  remote.commit({}, 'lockfile')
  remote.push('main')
  return remote
}

/** An AWS stand-in for the container: answers get-secret-value with a fake deploy key. */
const AWS_STAND_IN = `#!/bin/sh
echo "$*" >> /tmp/aws-calls
printf '%s\\n' '-----BEGIN OPENSSH PRIVATE KEY-----' 'not-a-real-key' '-----END OPENSSH PRIVATE KEY-----'
`

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = probe()
    if (value) {
      return value
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test.group('build host bootstrap in a Debian 12 container', (group) => {
  let image = ''
  group.setup(async () => {
    image = await buildHostTestImage()
  })

  test('clones, installs with the pinned pnpm, writes the units and starts the agent, which runs a push', async ({
    assert,
    cleanup,
  }) => {
    const remote = fixtureRemote()
    const scratch = mkdtempSync(join(tmpdir(), 'ngip-bootstrap-'))
    const name = `ngip-bootstrap-test-${process.pid}`
    cleanup(() => {
      docker(['rm', '--force', name])
      remote.remove()
      rmSync(scratch, { recursive: true, force: true })
    })
    writeFileSync(join(scratch, 'aws'), AWS_STAND_IN, { mode: 0o755 })
    const ca = process.env.NODE_EXTRA_CA_CERTS || '/etc/ssl/certs/ca-certificates.crt'
    docker([
      'run',
      '--detach',
      '--init',
      '--name',
      name,
      '--volume',
      `${remote.bare}:/srv/git/ngip.git`,
      '--volume',
      `${BOOTSTRAP}:/usr/local/sbin/ngip-bootstrap:ro`,
      '--volume',
      `${join(scratch, 'aws')}:/usr/local/bin/aws:ro`,
      '--volume',
      `${ca}:/usr/local/share/ngip-test/ca.pem:ro`,
      image,
      'sleep',
      'infinity',
    ])
    const exec = (...args: string[]) => docker(['exec', name, ...args])
    // The remote, served on the container's loopback as a git host would serve it.
    docker([
      'exec',
      '--detach',
      name,
      'git',
      'daemon',
      '--base-path=/srv/git',
      '--export-all',
      '--listen=127.0.0.1',
      '--reuseaddr',
      '/srv/git',
    ])
    const bootstrap = () =>
      docker([
        'exec',
        '--env',
        'NGIP_REPO_URL=git://127.0.0.1/ngip.git',
        '--env',
        'NGIP_REPO_CREDENTIAL=secretsmanager:ngip/build-host/deploy-key',
        '--env',
        'NGIP_SERVICES=postgresql redis-server',
        '--env',
        'NGIP_OPERATORS=operator',
        '--env',
        'NGIP_AGENT_INTERVAL=1',
        '--env',
        'BUILD_HOST_GROUP=ngip-build-host',
        '--env',
        'IDLE_MINUTES=45',
        '--env',
        'NODE_EXTRA_CA_CERTS=/usr/local/share/ngip-test/ca.pem',
        '--env',
        'SSL_CERT_FILE=/usr/local/share/ngip-test/ca.pem',
        name,
        '/usr/local/sbin/ngip-bootstrap',
      ])

    const first = bootstrap()
    assert.include(first, 'bootstrap: packages: all installed')
    assert.include(first, 'bootstrap: cloning git://127.0.0.1/ngip.git into /opt/ngip')
    assert.include(first, 'bootstrap: started the agent in the background')
    assert.notInclude(first, 'not-a-real-key')

    const agentUnit = exec('cat', '/etc/systemd/system/ngip-agent.service')
    assert.include(agentUnit, 'User=ngip')
    assert.include(agentUnit, 'UMask=0002')
    assert.include(agentUnit, 'EnvironmentFile=/etc/ngip/pipeline.env')
    assert.include(agentUnit, 'ExecStart=/opt/ngip/node_modules/.bin/node pipelines/agent/main.ts')
    assert.include(
      exec('cat', '/etc/systemd/system/ngip-idle-check.service'),
      'ExecStart=/usr/bin/env pnpm pipeline idle-check'
    )
    assert.include(exec('cat', '/etc/systemd/system/ngip-idle-check.timer'), 'OnUnitActiveSec=5min')
    const environment = exec('cat', '/etc/ngip/pipeline.env')
    for (const line of [
      "NGIP_AGENT_REPO='git://127.0.0.1/ngip.git'",
      `NGIP_PIPELINE_STATE_DIR='${STATE}'`,
      "BUILD_HOST_GROUP='ngip-build-host'",
      "IDLE_MINUTES='45'",
      "NGIP_AGENT_INTERVAL='1'",
    ]) {
      assert.include(environment, line)
    }

    assert.equal(
      exec('stat', '--format', '%a %U %G', STATE, `${STATE}/running`),
      '2775 root ngip\n2775 root ngip'
    )
    assert.include(exec('id', '--name', '--groups', 'ngip').split(' '), 'docker')
    assert.include(exec('id', '--name', '--groups', 'operator').split(' '), 'ngip')
    assert.equal(exec('stat', '--format', '%a %U', '/home/ngip/.ssh/ngip_deploy_key'), '600 ngip')
    assert.include(
      exec('runuser', '-u', 'ngip', '--', 'git', 'config', '--global', 'core.sshCommand'),
      '/home/ngip/.ssh/ngip_deploy_key'
    )
    assert.equal(
      exec('cat', '/tmp/aws-calls'),
      'secretsmanager get-secret-value --secret-id ngip/build-host/deploy-key --query SecretString --output text'
    )
    assert.equal(exec('/opt/ngip/node_modules/.bin/node', '--version'), `v${NODE_VERSION}`)
    assert.equal(exec('pnpm', '--version'), '12.21.0')
    assert.equal(exec('psql', '-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'select 1'), '1')
    assert.equal(exec('redis-cli', 'ping'), 'PONG')

    const runs = () => {
      try {
        return exec('cat', `${STATE}/runs.jsonl`)
          .split('\n')
          .map((line) => JSON.parse(line))
      } catch {
        return []
      }
    }
    await waitFor('the first run of main', () => runs()[0], 120_000)
    assert.include(runs()[0], { branch: 'main', result: 'passed' })
    const pushed = remote.commit({ 'note.txt': 'pushed' }, 'a push to main')
    remote.push('main')
    const run = await waitFor(
      'the run of the push',
      () => runs().find((r) => r.commit === pushed),
      120_000
    )
    const log = exec('cat', run.log)
    assert.equal(run.result, 'passed', log)
    assert.include(log, `pipeline all on main at ${pushed} with node v${NODE_VERSION}`, log)

    const pid = exec('cat', `${STATE}/agent/agent.pid`)
    const again = bootstrap()
    assert.include(again, 'bootstrap: updating /opt/ngip')
    const restarted = await waitFor(
      'the restarted agent',
      () => {
        try {
          const now = exec('cat', `${STATE}/agent/agent.pid`)
          return now !== pid ? now : undefined
        } catch {
          return undefined
        }
      },
      30_000
    )
    assert.notEqual(restarted, pid)
  }).timeout(900_000)
})
