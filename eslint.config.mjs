import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'

const restrict = (patterns) => ['error', { patterns }]

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'bin/**', '.tmp/**', 'bench/.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  { files: ['**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        { group: ['**/main/**', 'electron', 'node:*', 'better-sqlite3', 'onnxruntime-node'], message: 'The renderer talks to the host only through the contract client.' },
      ]),
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'node:*', 'react'], message: 'src/shared imports nothing of ours, no node:* and no DOM.' },
      ]),
    },
  },
  {
    files: ['src/main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'react', 'react-dom', '**/db/**', '**/services/**', '**/host/**', '**/ipc/**'], message: 'The engine is pure ML on onnxruntime-node and node:* only.' },
      ]),
    },
  },
  {
    files: ['src/main/services/**/*.ts', 'src/main/db/**/*.ts', 'src/main/host/**/*.ts', 'src/main/bridge/**/*.ts', 'src/main/cli*.ts', 'src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', 'react', 'react-dom', '**/ipc/**'], message: 'Only src/main/{index,window,protocol,ipc} may import electron.' },
      ]),
    },
  },
)
