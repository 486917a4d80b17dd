/*
| Regenerates docs/screenshots/*.png: runs the browser test that seeds a
| dashboard and a Token page and photographs them on a desktop, and the
| dashboard, a Token page and the Users page on a phone (390x844).
|
|   node scripts/screenshots.ts
*/

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const result = spawnSync(
  process.execPath,
  ['bin/run_tests.ts', 'browser', '--files=tests/browser/screenshots.spec.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NGIP_SCREENSHOTS: '1' } }
)
process.exit(result.status ?? 1)
