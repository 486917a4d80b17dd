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
  /** The health check command; 'none' turns off the image's own. */
  healthcheck?: string[] | 'none'
  /** Seconds between health checks (1 unless set) and the grace while it boots. */
  health?: { intervalS: number; startPeriodS: number; retries: number }
  /** The host address `publish` and `hostPorts` bind to (127.0.0.1 unless set). */
  bind?: string
  /** Container port → fixed host port (a proxy's public ports). */
  hostPorts?: Record<number, number>
  /** Named volume → path in the container. */
  mounts?: Record<string, string>
  /** Restarted by the engine after a crash or a reboot, unless stopped on purpose. */
  restart?: boolean
}

/** A container that only holds its name (a lock): never started, no network. */
export interface ClaimRequest {
  name: string
  image: string
  labels: Record<string, string>
}

export interface ExecResult {
  exitCode: number
  /** stdout and stderr together. */
  output: string
}

export interface ContainerState {
  running: boolean
  exitCode: number
  /** starting | healthy | unhealthy | none (no HEALTHCHECK) */
  health: string
  /** container port → host port on 127.0.0.1 */
  ports: Record<number, number>
  labels: Record<string, string>
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
  pull(ref: string, auth?: RegistryAuth): Promise<boolean>
  build(request: BuildRequest): Promise<void>
  /** Makes an image from a root file system tar (`docker import`). */
  importImage(tarPath: string, ref: string): Promise<void>
  tag(ref: string, repo: string, tag: string): Promise<void>
  /** Pushes repo:tag; returns the digest the registry reports. */
  push(repo: string, tag: string, auth: RegistryAuth): Promise<string>
  createNetwork(name: string, internal: boolean, labels: Record<string, string>): Promise<void>
  run(request: ContainerRequest): Promise<void>
  inspect(name: string): Promise<ContainerState>
  /** The container's state, or undefined when there is no such container. */
  find(name: string): Promise<ContainerState | undefined>
  /** Creates the container unless one of that name exists (atomic on the engine); true when created. */
  claim(request: ClaimRequest): Promise<boolean>
  start(name: string): Promise<void>
  /** Stops containers (SIGTERM, then SIGKILL after 10 s); stopped or missing ones are fine. */
  stop(names: string[]): Promise<void>
  /** Runs a command in a running container and waits for it. */
  exec(name: string, command: string[]): Promise<ExecResult>
  /** Creates a network unless one of that name exists; true when created. */
  ensureNetwork(name: string, labels: Record<string, string>): Promise<boolean>
  /** The CIDR blocks of a network's address space, as the engine assigned them. */
  networkSubnets(name: string): Promise<string[]>
  /** Creates a named volume unless it exists (the engine's create is idempotent). */
  ensureVolume(name: string, labels: Record<string, string>): Promise<void>
  /** Removes named volumes; missing ones are fine. */
  removeVolumes(names: string[]): Promise<void>
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
