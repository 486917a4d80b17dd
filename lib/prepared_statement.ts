/** A statement as PostgreSQL's named prepared statement takes it */
export interface PreparedStatement {
  name: string
  text: string
  values: unknown[]
}

const statements = new Map<string, { name: string; text: string }>()

/**
 * A statement written with `?` placeholders as a named prepared statement:
 * `$n` placeholders and one name per distinct text, so PostgreSQL parses
 * and plans it once per connection. For a fixed set of statement texts
 * (values always go in `values`), so the names stay few.
 */
export function preparedStatement(sql: string, values: unknown[]): PreparedStatement {
  let statement = statements.get(sql)
  if (!statement) {
    let n = 0
    statement = { name: `ngip_${statements.size + 1}`, text: sql.replace(/\?/g, () => `$${++n}`) }
    statements.set(sql, statement)
  }
  return { ...statement, values }
}
