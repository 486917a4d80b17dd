/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for running ace commands
|--------------------------------------------------------------------------
|
| Registers the TypeScript JIT hook and imports the ace entrypoint. The build
| replaces this file with a plain JavaScript copy.
|
*/

import '@poppinss/ts-exec'

await import('./bin/console.js')
