import { createReadStream, type Dirent } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createRequire } from 'node:module'
import type { Ignore } from '@balena/dockerignore'
import { pack, type Pack } from 'tar-stream'

// A CommonJS module whose typings claim a default export: load it as what it is.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as (options: {
  ignorecase: boolean
}) => Ignore

export interface ContextOptions {
  /** Apply the directory's .dockerignore, as `docker build` does. */
  dockerignore?: boolean
  /** Follow symbolic links (a context assembled from links to files elsewhere). */
  dereference?: boolean
  /** Files whose content the tar carries instead of what is on disk. */
  replace?: Record<string, string | Buffer>
  /** Files sent whatever .dockerignore says (the Dockerfile, as the docker CLI does). */
  always?: string[]
}

type Filter = (path: string) => boolean

async function ignoreFilter(
  dir: string,
  enabled: boolean
): Promise<{ keep: Filter; enter: Filter }> {
  const text = enabled ? await readFile(join(dir, '.dockerignore'), 'utf8').catch(() => '') : ''
  const rules = dockerignore({ ignorecase: false }).add(text)
  const exceptions = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/^\/+/, ''))
  return {
    keep: (path) => !rules.ignores(path),
    // An ignored folder is still walked when an exception may re-include something inside it.
    enter: (path) => !rules.ignores(path) || exceptions.some((rule) => rule.startsWith(`${path}/`)),
  }
}

async function isFolder(path: string, entry: Dirent, dereference: boolean) {
  if (entry.isDirectory()) {
    return true
  }
  return dereference && entry.isSymbolicLink() && stat(path).then((info) => info.isDirectory())
}

/** The files of a context, relative paths with forward slashes, sorted. */
export async function contextFiles(dir: string, options: ContextOptions = {}): Promise<string[]> {
  const filter = await ignoreFilter(dir, options.dockerignore ?? false)
  const found: string[] = []
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name)
      const path = relative(dir, full).split(sep).join('/')
      if (await isFolder(full, entry, options.dereference ?? false)) {
        await (filter.enter(path) ? walk(full) : Promise.resolve())
      } else if (filter.keep(path) || options.always?.includes(path)) {
        found.push(path)
      }
    }
  }
  await walk(dir)
  return found.sort()
}

async function addFile(tar: Pack, dir: string, path: string, replacement?: string | Buffer) {
  const info = await stat(join(dir, path))
  const header = { name: path, mode: info.mode & 0o7777, mtime: info.mtime }
  if (replacement !== undefined) {
    tar.entry({ ...header, size: Buffer.byteLength(replacement) }, replacement)
    return
  }
  const entry = tar.entry({ ...header, size: info.size })
  await pipeline(createReadStream(join(dir, path)), entry)
}

/**
 * Streams a directory as a build context tar: what `docker build` would
 * send, without the docker CLI.
 */
export async function packContext(dir: string, options: ContextOptions = {}): Promise<Readable> {
  const files = await contextFiles(dir, options)
  const tar = pack()
  const fill = async () => {
    for (const path of files) {
      await addFile(tar, dir, path, options.replace?.[path])
    }
    tar.finalize()
  }
  fill().catch((error) => tar.destroy(error))
  return tar as unknown as Readable
}
