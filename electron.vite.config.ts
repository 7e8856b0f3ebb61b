import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// main and preload are Node/Electron bundles; the renderer is a plain web build of renderer/.
export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'main/index.ts') }, external: ['keytar'] },
    },
  },
  preload: {
    // A sandboxed preload must be CommonJS and self-contained: it can require only `electron`, so
    // its dependencies (zod, via the API table) are bundled in.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    build: { rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } } },
    plugins: [react()],
  },
});
