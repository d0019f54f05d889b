import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// Layering (docs/architecture.md): shared imports neither side; the renderer imports only shared;
// only electron/main and electron/preload import `electron`. A leak is a lint error.
const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }
const nodeBuiltins = { group: ['node:*'], message: 'No Node built-ins here.' }
// A write transaction takes SQLite's write lock when it starts (BEGIN IMMEDIATE): a deferred one that
// reads first fails at once with SQLITE_BUSY_SNAPSHOT when another connection (an import on its own
// thread) commits between its read and its first write.
const deferredTransaction = {
  selector:
    "CallExpression[arguments.length=0][callee.type='CallExpression'][callee.callee.property.name='transaction']",
  message: 'Start a write transaction with .immediate() (db.transaction(fn).immediate()), or use Repo.transaction.'
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^leadline:/]', message: 'Channel names live in shared/contract only.' }
      ]
    }
  },
  {
    files: ['shared/contract/wire-names.ts'],
    rules: { 'no-restricted-syntax': 'off' }
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, { name: 'react', message: 'shared/ is UI-free.' }],
          patterns: [
            nodeBuiltins,
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports neither side.' }
          ]
        }
      ]
    }
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            nodeBuiltins,
            { group: ['**/electron/**'], message: 'The renderer talks to core only through the api client.' },
            {
              regex: 'shared/contract(/index)?$',
              allowTypeImports: true,
              message:
                "The contract's index brings its zod schemas into every seat's download: import types from it, values from shared/contract/enums or wire-names."
            }
          ]
        }
      ]
    }
  },
  {
    // SQL has one home per domain: its repository (`repo.ts`, `*-repo.ts`, on db/repo.ts's statement cache).
    files: ['electron/**/*.ts'],
    ignores: ['electron/**/repo.ts', 'electron/**/*-repo.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^leadline:/]', message: 'Channel names live in shared/contract only.' },
        {
          selector: "CallExpression[callee.property.name='prepare']",
          message: 'SQL lives in the domain’s repository (repo.ts or *-repo.ts), prepared once.'
        },
        deferredTransaction
      ]
    }
  },
  {
    files: ['electron/**/repo.ts', 'electron/**/*-repo.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/^leadline:/]', message: 'Channel names live in shared/contract only.' },
        deferredTransaction
      ]
    }
  },
  {
    files: ['electron/core/**/*.ts', 'electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [{ group: ['**/renderer/**'], message: 'Core does not know the UI.' }] }
      ]
    }
  },
  {
    files: ['tests/**/*.{ts,cjs,mjs}', 'bench/**/*.{ts,mjs}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    // The SIP test's customer and the hub connection the UI opens first run in the browser.
    files: ['tests/telephony/customer/*.js', 'resources/renderer/*.js', 'tests/e2e/ear-probe.js'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    // An AudioWorklet module runs in the worklet scope, not the page.
    files: ['renderer/src/features/phone/peaks-worklet.js'],
    languageOptions: {
      globals: { AudioWorkletProcessor: 'readonly', registerProcessor: 'readonly', sampleRate: 'readonly' }
    }
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
)
