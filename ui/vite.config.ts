// Vite builds the UI into static files the Plantlog core embeds and serves at "/".
// `npm run dev` proxies /api to a running core (PLANTLOG_URL, default port 8470).
// Vitest reads its settings from `test` below.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

declare const process: { env: Record<string, string | undefined> };

const target = process.env.PLANTLOG_URL || 'http://127.0.0.1:8470';

export default defineConfig({
  base: '/',
  plugins: [svelte()],
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test-setup.ts'],
  },
});
