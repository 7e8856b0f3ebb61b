import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Electron stays at the edge: only main/index.ts, main/preload.ts, main/ipc/ and main/adapters/ import it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Electron at the edge — but ipcMain/ipcRenderer only in the IPC wrapper and the preload.
    files: ['main/index.ts', 'main/ipc/**/*.ts', 'main/adapters/**/*.ts', 'test/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcMain', 'ipcRenderer'],
              message: 'Only main/ipc/register.ts uses ipcMain and only main/preload.ts uses ipcRenderer: add a method to shared/api.ts instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
          message: 'Only main/ipc/register.ts uses ipcMain and only main/preload.ts uses ipcRenderer: add a method to shared/api.ts instead.',
        },
      ],
    },
  },
  {
    files: ['main/ipc/register.ts', 'main/preload.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Components call hooks; only hooks (renderer/features/*/use-*.ts) call window.certdesk.
    files: ['renderer/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^ipc(Main|Renderer)$/]',
          message: 'Only main/ipc/register.ts uses ipcMain and only main/preload.ts uses ipcRenderer: add a method to shared/api.ts instead.',
        },
        {
          selector: "MemberExpression[object.name='window'][property.name='certdesk']",
          message: 'Components do not call window.certdesk: use (or add) a hook in renderer/features/<feature>/use-*.ts.',
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
