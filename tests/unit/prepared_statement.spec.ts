import { test } from '@japa/runner'
import { preparedStatement } from '#lib/prepared_statement'

test.group('preparedStatement', () => {
  test('numbers the placeholders and names each text once', ({ assert }) => {
    const sql = 'SELECT * FROM pings WHERE token_id = ? AND id < ? LIMIT ?'
    const first = preparedStatement(sql, [1, 100, 51])
    assert.equal(first.text, 'SELECT * FROM pings WHERE token_id = $1 AND id < $2 LIMIT $3')
    assert.deepEqual(first.values, [1, 100, 51])

    const again = preparedStatement(sql, [2, 50, 11])
    assert.equal(again.name, first.name)
    assert.deepEqual(again.values, [2, 50, 11])

    const other = preparedStatement('SELECT * FROM pings WHERE token_id = ?', [1])
    assert.notEqual(other.name, first.name)
  })
})
