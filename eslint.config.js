// Lint, including the layering rules the design depends on:
//   - electron/core and electron/sandbox run under plain Node: no electron, React or DOM.
//   - the renderer talks to the desk only through the contract: from electron/ it may import
//     electron/core/contract.ts and nothing else.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectronOrReact = {
  paths: [
    { name: 'electron', message: 'electron/core must run under plain Node: the Electron shell (main.ts) relays to it.' },
    { name: 'react', message: 'electron/core holds no UI.' },
    { name: 'react-dom', message: 'electron/core holds no UI.' },
  ],
  patterns: [
    { group: ['electron/*', 'react/*', 'react-dom/*'], message: 'electron/core must not depend on Electron or React.' },
    { group: ['**/renderer/**'], message: 'electron/core must not depend on the console.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', 'test-results/', '**/*.snap'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', noElectronOrReact],
      // DOM globals are also absent from the core's tsconfig lib; this catches them in lint too.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage'],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'path', 'child_process', 'sqlite3', 'ws', 'electron'].map((name) => ({ name, message: 'The console runs in a browser sandbox.' })),
          patterns: [
            {
              regex: '^(\\.\\./)+electron/(?!core/contract$)',
              message: 'The console reaches the desk only through electron/core/contract.ts.',
            },
            { group: ['node:*'], message: 'The console runs in a browser sandbox.' },
          ],
        },
      ],
    },
  },
);
