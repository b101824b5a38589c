//! Build of the six entry pages into dist/, which is committed and served by the Rust server.
//! Must stay deterministic: CI rebuilds dist/ and fails if a byte differs.
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  // Pages are served at deep paths (/join/482913, /facilitate/482913), so every
  // asset URL must be absolute.
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The polyfill only helps browsers without <link rel=modulepreload>; they still work without it.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        join: resolve(root, 'join.html'),
        screen: resolve(root, 'screen.html'),
        facilitate: resolve(root, 'facilitate.html'),
        organisation: resolve(root, 'organisation.html'),
        invite: resolve(root, 'invite.html'),
      },
      output: {
        // Fold tiny shared modules into a bigger chunk instead of one more request each (bytes).
        experimentalMinChunkSize: 4096,
      },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
