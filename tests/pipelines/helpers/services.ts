/**
 * The local services the pipeline tests use; the registry is the same one
 * `pnpm pipeline rehearse` pushes to.
 */
export {
  freePort,
  type LocalRegistry,
  startRegistry,
} from '../../../pipelines/lib/local_registry.ts'
