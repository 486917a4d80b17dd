import type Docker from 'dockerode'

export interface ProgressEvent {
  stream?: string
  status?: string
  error?: string
  errorDetail?: { message?: string }
  aux?: { Digest?: string; ID?: string }
}

/**
 * Follows a build, pull or push stream to its end. The engine reports
 * failures in band ({error}) while the stream itself ends normally, so they
 * are turned into a rejection here.
 */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onEvent: (event: ProgressEvent) => void = () => {}
): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: ProgressEvent[]) => {
        const failed = events?.find((event) => event.error || event.errorDetail)
        if (error || failed) {
          const message = failed?.errorDetail?.message ?? failed?.error ?? error?.message
          return reject(new Error(String(message).trim()))
        }
        resolve(events)
      },
      onEvent
    )
  })
}
