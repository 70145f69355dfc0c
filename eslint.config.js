// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x only follows .js files and no-cycle silently sees no TypeScript
      // module graph at all (a cycle between two .ts files passed the lint).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.node.json', 'tsconfig.client.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      // Import cycles fail the lint (house rule 7).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Plain Node scripts (they run before anything is compiled).
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // shared/ is pure: no Node built-ins, no server or browser-only libraries.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'net', 'stream', 'child_process'], message: 'shared/ must stay free of Node APIs.' },
            { group: ['ws', 'express', 'lowdb', 'pino', 'react', 'react-dom', 'y-websocket', 'y-indexeddb'], message: 'shared/ must stay free of I/O and UI libraries.' },
            { group: ['**/server/**', '**/client/**'], message: 'shared/ must not import server or client code.' },
          ],
        },
      ],
    },
  },
  {
    // The browser bundle must not pull in server code.
    files: ['client/**/*.ts', 'client/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', '**/server/**', 'ws', 'express', 'lowdb', 'pino'], message: 'client code runs in the browser.' }] },
      ],
    },
  },
);
