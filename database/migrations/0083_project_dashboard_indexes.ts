import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Since Projects (0080) a dashboard page and the API's Token list are scoped
 * by project_id, and the indexes of their orders were led by user_id: at a
 * million Tokens in one Project, the name and last-ping orders read every
 * Token and sorted them (486 ms a page, bench/RESULTS.md). Two indexes take
 * the place of two others, so ingest's Token updates (every index takes an
 * entry) cost no more:
 * - tokens_project_name_idx (project_id, name, id) serves the name order and,
 *   by its first column, every look-up by project_id (the Project's cascade),
 *   which tokens_project_id_index served;
 * - tokens_project_last_ping_idx replaces tokens_user_last_ping_idx: a User's
 *   own look-ups keep tokens_user_name_idx and tokens_user_status_name_idx.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw('CREATE INDEX tokens_project_name_idx ON tokens (project_id, name, id)')
    this.schema.raw(
      'CREATE INDEX tokens_project_last_ping_idx ON tokens (project_id, last_ping_at DESC NULLS LAST, id DESC)'
    )
    this.schema.raw('DROP INDEX IF EXISTS tokens_project_id_index')
    this.schema.raw('DROP INDEX IF EXISTS tokens_user_last_ping_idx')
  }

  async down() {
    this.schema.raw(
      'CREATE INDEX tokens_user_last_ping_idx ON tokens (user_id, last_ping_at DESC NULLS LAST, id DESC)'
    )
    this.schema.raw('CREATE INDEX tokens_project_id_index ON tokens (project_id)')
    this.schema.raw('DROP INDEX IF EXISTS tokens_project_last_ping_idx')
    this.schema.raw('DROP INDEX IF EXISTS tokens_project_name_idx')
  }
}
