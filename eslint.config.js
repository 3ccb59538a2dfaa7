// Lint: typescript-eslint's recommended rules, plus the import boundaries the architecture relies on.
import tseslint from 'typescript-eslint';

const nativeAndNode = ['electron', 'better-sqlite3', 'sharp', 'onnxruntime-node', 'node:*'];
const oneDoor = 'Adapters reach the catalogue only through CatalogueService (src/main/service.ts): rules and SQL live below the door.';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.tools/**', '.cache/**', 'bench-out/**', 'test-results/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The renderer runs in a sandboxed page: no Node, no native modules, no electron.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: nativeAndNode, message: 'The renderer reaches the main process only through the preload API.' }] },
      ],
    },
  },
  {
    // src/shared is pure TypeScript used by every process.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nativeAndNode, 'react', '@mui/*', '**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'src/shared stays pure: no Node, native modules, UI or process code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the thin Electron entry and the preload may import electron.
    files: ['src/main/**/*.ts', 'scripts/**/*.{ts,mjs}', 'tests/**/*.ts'],
    ignores: ['src/main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Real work lives in plain Node modules; only src/main/index.ts imports electron.' }] },
      ],
    },
  },
  // One door: the adapters (Electron IPC, the browser host, the command line) translate and call
  // CatalogueService; rules and SQL live below it, so they may not reach the repositories or SQLite.
  // Last, because for these files it replaces the electron-only rule above (repeated where it applies).
  ...[
    { files: ['src/main/handlers.ts', 'src/main/host/**/*.ts', 'src/main/cli/**/*.ts'], electron: true },
    { files: ['src/main/index.ts'], electron: false },
  ].map(({ files, electron }) => ({
    files,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: oneDoor },
            ...(electron ? [{ name: 'electron', message: 'Real work lives in plain Node modules; only src/main/index.ts imports electron.' }] : []),
          ],
          patterns: [{ group: ['**/catalogue/**', '**/db/open', '**/db/statements', '**/db/migrations/**'], message: oneDoor }],
        },
      ],
    },
  })),
);
