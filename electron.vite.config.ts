import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Native modules stay external: they are loaded from node_modules at run time, never bundled.
const external = ['better-sqlite3', 'sharp', 'onnxruntime-node'];

export default defineConfig({
  main: {
    build: {
      // Each worker thread is its own entry: it is loaded from a file beside index.js (src/main/workers/workerEntry.ts).
      rollupOptions: {
        external,
        // Shared chunks sit beside the entries, so code in any of them finds a worker file next to itself.
        output: { chunkFileNames: '[name]-[hash].js' },
        input: {
          index: resolve('src/main/index.ts'),
          retrainWorker: resolve('src/main/learning/retrainWorker.ts'),
          featureWorker: resolve('src/main/inference/featureWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require() nothing but electron: bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [react()],
  },
});
