import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  {
    ignores: ['build/**', 'tmp/**', 'infra/cdk.out/**', '.adonisjs/**', 'public/vendor/**'],
  },
  {
    // The edge never asks PostgreSQL (tests/functional/ping_edge_alone.spec.ts proves it at run time).
    files: ['ping/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['pg', 'pg-*', 'postgres', 'knex', '@adonisjs/lucid', '@adonisjs/lucid/*'],
              message: 'the ping edge never asks PostgreSQL',
            },
          ],
        },
      ],
    },
  }
)
