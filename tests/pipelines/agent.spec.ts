import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { Records } from '../../pipelines/agent/records.ts'
import { Activity } from '../../pipelines/lib/activity.ts'
import { prodSkip } from '../../pipelines/steps/prod_gate.ts'
import { GitRemote } from './helpers/git_remote.ts'
import { root } from './helpers/pipeline.ts'

/**
 * The stand-in for `pnpm pipeline all`: records its start and end, prints the
 * facts the pipeline would read in this checkout (pipelines/lib/facts.ts),
 * and waits while the gate file exists.
 */
const PIPELINE = `head=$(git rev-parse HEAD)
echo "start $BRANCH_NAME $head" >> "$NGIP_TEST_RECORD"
"$NGIP_TEST_NODE" -e "import('$NGIP_TEST_FACTS').then((m) => console.log('facts: ' + JSON.stringify(m.readFacts(process.cwd(), process.env))))"
while [ -e "$NGIP_TEST_GATE" ]; do sleep 0.05; done
echo "end $BRANCH_NAME $head" >> "$NGIP_TEST_RECORD"
exit "$(cat exit-code 2>/dev/null || echo 0)"
`

/** The facts the run's pipeline read, from its log. */
function factsOf(log: string) {
  return JSON.parse(/^facts: (.*)$/m.exec(readFileSync(log, 'utf8'))![1])
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 20_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = probe()
    if (value) {
      return value
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A remote, a state folder and the real agent (main.ts) watching it in a process of its own. */
function setup() {
  const remote = new GitRemote({ 'pipeline.sh': PIPELINE })
  const state = mkdtempSync(join(tmpdir(), 'ngip-agent-state-'))
  const record = join(state, 'record.txt')
  const gate = join(state, 'gate')
  const env = {
    ...process.env,
    NGIP_AGENT_REPO: remote.bare,
    NGIP_PIPELINE_STATE_DIR: state,
    NGIP_AGENT_COMMAND: 'sh pipeline.sh',
    NGIP_AGENT_INTERVAL: '0.2',
    NGIP_TEST_RECORD: record,
    NGIP_TEST_GATE: gate,
    NGIP_TEST_NODE: process.execPath,
    NGIP_TEST_FACTS: join(root, 'pipelines/lib/facts.ts'),
  }
  const agents: ChildProcess[] = []
  let output = ''
  const start = () => {
    const agent = spawn(process.execPath, [join(root, 'pipelines/agent/main.ts')], { env })
    agent.stdout.on('data', (chunk) => (output += chunk))
    agent.stderr.on('data', (chunk) => (output += chunk))
    agents.push(agent)
    return agent
  }
  const lines = () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n') : [])
  // The agents are gone before their state folder is: a stopping agent still writes its records.
  const cleanup = async () => {
    const exited = agents
      .filter((agent) => agent.exitCode === null && agent.signalCode === null)
      .map((agent) => new Promise((resolve) => agent.once('exit', resolve)))
    agents.forEach((agent) => agent.kill('SIGTERM'))
    await Promise.all(exited)
    rmSync(gate, { force: true })
    remote.remove()
    rmSync(state, { recursive: true, force: true })
  }
  return { remote, state, gate, start, lines, output: () => output, cleanup }
}

test.group('build host agent against a local bare repository', (group) => {
  group.each.timeout(60_000)

  test('a push starts a run; a push during a run waits for it, then runs', async ({
    assert,
    cleanup,
  }) => {
    const run = setup()
    cleanup(run.cleanup)
    const first = run.remote.commit({}, 'second on main')
    run.remote.push('main')
    writeFileSync(run.gate, '')
    const agent = run.start()
    await waitFor('the first run', () => run.lines().includes(`start main ${first}`))

    const second = run.remote.commit({ 'a.txt': 'a' }, 'pushed during the run')
    run.remote.push('main')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.deepEqual(run.lines(), [`start main ${first}`], 'one run at a time')
    assert.include(
      new Activity(run.state).read().running,
      agent.pid!,
      'a run in progress keeps the host up'
    )

    rmSync(run.gate)
    await waitFor('the second run', () => run.lines().includes(`end main ${second}`))
    assert.deepEqual(run.lines(), [
      `start main ${first}`,
      `end main ${first}`,
      `start main ${second}`,
      `end main ${second}`,
    ])
    const runs = await waitFor('two records', () => {
      const recorded = new Records(run.state).runs()
      return recorded.length === 2 ? recorded : undefined
    })
    assert.deepEqual(
      runs.map((r) => [r.branch, r.commit, r.result]),
      [
        ['main', first, 'passed'],
        ['main', second, 'passed'],
      ]
    )
    assert.match(runs[1].log, /\/runs\/\d{8}T\d{6}Z-main-[0-9a-f]{12}\.log$/)
    const facts = factsOf(runs[1].log)
    assert.deepInclude(facts, { branch: 'main', head: second })
    assert.isUndefined(prodSkip(facts), 'main runs go to prod')
    assert.deepEqual(new Activity(run.state).read().running, [], 'the host may park again')
  })

  test('a branch push runs the pipeline without prod, named by its branch', async ({
    assert,
    cleanup,
  }) => {
    const run = setup()
    cleanup(run.cleanup)
    run.start()
    const main = await waitFor('main', () => new Records(run.state).runs()[0]?.commit)
    run.remote.branch('feature/login')
    const feature = run.remote.commit({ 'b.txt': 'b' }, 'on a branch')
    run.remote.push('feature/login')
    const record = await waitFor('the branch run', () => new Records(run.state).runs()[1])
    assert.include(run.lines(), `start feature/login ${feature}`)
    assert.equal(record.branch, 'feature/login')
    assert.match(record.log, /-feature_login-[0-9a-f]{12}\.log$/)
    const facts = factsOf(record.log)
    assert.deepInclude(facts, { branch: 'feature/login', head: feature, mainCommit: main })
    assert.match(prodSkip(facts)!, /^only from main's commit/, 'a branch run has no prod')
  })

  test('a failed run is recorded as failed and the next push still runs', async ({
    assert,
    cleanup,
  }) => {
    const run = setup()
    cleanup(run.cleanup)
    const failing = run.remote.commit({ 'exit-code': '3' }, 'fails')
    run.remote.push('main')
    run.start()
    await waitFor('the failed run', () => new Records(run.state).runs()[0])
    const fixed = run.remote.commit({ 'exit-code': '0' }, 'fixed')
    run.remote.push('main')
    await waitFor('the next run', () => new Records(run.state).runs()[1])
    const [failed, passed] = new Records(run.state).runs()
    assert.deepInclude(failed, { commit: failing, result: 'failed', exitCode: 3 })
    assert.deepInclude(passed, { commit: fixed, result: 'passed', exitCode: 0 })
    assert.match(run.output(), new RegExp(`main ${failing.slice(0, 12)} failed \\(exit 3\\)`))
  })

  test('on its first start only main runs; a second agent on the same host refuses', async ({
    assert,
    cleanup,
  }) => {
    const run = setup()
    cleanup(run.cleanup)
    run.remote.branch('old-branch')
    run.remote.commit({}, 'an old branch')
    run.remote.push('old-branch')
    run.start()
    await waitFor('main', () => new Records(run.state).runs()[0])
    const second = run.start()
    const code = await new Promise((resolve) => second.on('exit', resolve))
    assert.equal(code, 1)
    assert.match(run.output(), /agent: another agent \(pid \d+\) already watches/)
    await new Promise((resolve) => setTimeout(resolve, 600))
    assert.deepEqual(
      new Records(run.state).runs().map((r) => r.branch),
      ['main'],
      'branches pushed before the first start wait for their next push'
    )
  })
})
