/*
|--------------------------------------------------------------------------
| The roles `pnpm start` runs, and how each is started
|--------------------------------------------------------------------------
|
| One list for the supervisor (bin/start.ts) and for whatever must start a
| role exactly as it does (`pnpm bench`'s whole-platform run): change how a
| role starts here, and both follow.
|
*/

export type RoleName = 'web' | 'ping' | 'worker' | 'scheduler'

export interface RoleCommand {
  name: RoleName
  /** Arguments of `node`, run from the repository's root */
  args: string[]
}

const tsExec = ['--import=@poppinss/ts-exec', '--enable-source-maps']

export const ROLES: readonly RoleCommand[] = [
  { name: 'web', args: [...tsExec, 'bin/server.ts'] },
  {
    name: 'ping',
    args: ['--max-semi-space-size=1', '--single-threaded', ...tsExec, 'ping/main.ts'],
  },
  { name: 'worker', args: ['ace', 'worker:run'] },
  { name: 'scheduler', args: ['ace', 'scheduler:run'] },
]

export function roleCommand(name: RoleName): RoleCommand {
  return ROLES.find((role) => role.name === name)!
}
