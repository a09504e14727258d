// ESLint: typescript-eslint's type-checked rules on all TypeScript, plus the layer rule of
// docs/architecture.md. Formatting is prettier's job (`npm run format`).
import eslint from '@eslint/js'
import tseslint from 'typescript-eslint'
import { layerRule } from './scripts/lint/layer-rule'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.wrangler/',
      '.state/',
      'test-results/',
      'worker-configuration.d.ts',
      'migrations/',
      '**/*.mjs',
      '**/*.js',
      '.tmp*',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.worker.json', './tsconfig.node.json', './tsconfig.sdk.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { pagebell: { rules: { layers: layerRule } } },
    rules: {
      'pagebell/layers': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // The browser script trades style for bytes (docs/tracking-script.md): comma expressions and
    // short-circuit statements are allowed there only.
    // An empty catch is how it stays silent where storage or beacons are blocked, and it keeps
    // references to the page's own methods (history.pushState) to call them unbound on purpose.
    files: ['sdk/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/unbound-method': 'off',
    },
  },
)
