import type { HttpContext } from '@adonisjs/core/http'
import Project from '#models/project'
import {
  badgeCounts,
  badgeLabel,
  badgeState,
  badgeSvg,
  shieldsJson,
  signatureMatches,
} from '#services/projects/badges'

const FILE = /^(.{1,100})\.(svg|json|shields)$/s

/**
 * Public status badges: no session, the URL is the credential. A wrong key, signature or
 * tag answers 404 alike.
 */
export default class BadgesController {
  async show({ params, response }: HttpContext) {
    const file = FILE.exec(decodeURIComponent(String(params.file)))
    const signature = String(params.signature)
    const withLate = !signature.endsWith('-2')
    const sig = withLate ? signature : signature.slice(0, -2)
    const project = /^[0-9a-f]{36}$/.test(params.key)
      ? await Project.findBy('badge_key', params.key)
      : null
    if (!file || !project || !signatureMatches(project.badgeKey, file[1], sig)) {
      return response.notFound('not found')
    }
    const [, tag, format] = file
    const counts = await badgeCounts(project.id, tag)
    const state = badgeState(counts, withLate)
    const label = badgeLabel(project, tag)
    response.header('cache-control', 'no-cache')
    response.header('access-control-allow-origin', '*')
    if (format === 'svg') {
      response.header('content-type', 'image/svg+xml; charset=utf-8')
      return response.send(badgeSvg(label, state))
    }
    if (format === 'shields') {
      return response.json(shieldsJson(label, state))
    }
    return response.json({ status: state, ...counts })
  }
}
