import { configApp } from '@adonisjs/eslint-config'

export default configApp({
  ignores: ['build/**', 'tmp/**', 'infra/cdk.out/**', '.adonisjs/**', 'public/vendor/**'],
})
