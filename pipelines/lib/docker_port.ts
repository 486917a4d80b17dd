import type { Readable } from 'node:stream'

/** One image build through the Docker API (the classic /build endpoint). */
export interface BuildRequest {
  /** The build context as a tar stream. */
  context: () => Promise<Readable>
  /** Shown in logs and plans instead of the stream. */
  contextLabel: string
  tag: string
  dockerfile: string
  buildargs?: Record<string, string>
  labels?: Record<string, string>
}

export interface ContainerRequest {
  name: string
  image: string
  command?: string[]
  env: Record<string, string>
  /** The network the container starts on and the DNS alias it has there. */
  network: string
  alias: string
  /** Further networks, e.g. one that can publish ports to the host. */
  extraNetworks?: string[]
  /** Container ports published on 127.0.0.1 at a free host port. */
  publish?: number[]
  labels: Record<string, string>
  healthcheck?: string[]
}

export interface ContainerState {
  running: boolean
  exitCode: number
  /** starting | healthy | unhealthy | none (no HEALTHCHECK) */
  health: string
  /** container port → host port on 127.0.0.1 */
  ports: Record<number, number>
}

export interface RegistryAuth {
  username: string
  password: string
  serveraddress: string
}

/**
 * The Docker operations the pipeline uses. dockerode implements it for real
 * (docker_engine.ts); the dry run records each call instead (docker_plan.ts).
 */
export interface DockerPort {
  /** An engine answers (on this machine: installed and started when missing). */
  ready(): Promise<void>
  hasImage(ref: string): Promise<boolean>
  /** Pulls an image; false when the registry cannot be reached or has no such image. */
  pull(ref: string): Promise<boolean>
  build(request: BuildRequest): Promise<void>
  /** Makes an image from a root file system tar (`docker import`). */
  importImage(tarPath: string, ref: string): Promise<void>
  tag(ref: string, repo: string, tag: string): Promise<void>
  /** Pushes repo:tag; returns the digest the registry reports. */
  push(repo: string, tag: string, auth: RegistryAuth): Promise<string>
  createNetwork(name: string, internal: boolean, labels: Record<string, string>): Promise<void>
  run(request: ContainerRequest): Promise<void>
  inspect(name: string): Promise<ContainerState>
  /** Waits for a container to stop; returns its exit code. */
  wait(name: string): Promise<number>
  logs(name: string, tail?: number): Promise<string>
  /** Removes containers and networks; missing ones are fine. */
  remove(names: string[], networks: string[]): Promise<void>
  /** Removes every container and network carrying the label; returns how many. */
  removeLabelled(label: string): Promise<number>
  /** Removes dangling images older than a day (younger ones are the build cache). */
  pruneDanglingImages(): Promise<number>
  /** Removes the tags of `repo` other than `keep` (older builds); returns how many. */
  removeOldTags(repo: string, keep: string): Promise<number>
}
