/**
 * Paths answered for machines rather than people: the REST API (API keys),
 * health checks, metrics and the vendored front-end files. They never use a
 * session, and none of them is a file in public/.
 */
const MACHINE_PATHS = ['/api/', '/health/', '/metrics', '/vendor/']

/** `url` is the request's path, without its query string. */
export function isMachinePath(url: string) {
  return MACHINE_PATHS.some((prefix) => url.startsWith(prefix))
}
