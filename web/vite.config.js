import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import tailwindcss from '@tailwindcss/vite';

// The server (ASP.NET Core) serves web/dist: index.html for every SPA route, hashed files under /assets/
// with long cache lifetimes, and the precompressed .gz/.br siblings written by scripts/postbuild.mjs.
export default defineConfig({
  plugins: [preact(), tailwindcss()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 600, // hls.js (lazy, only on HLS fallback) is the one big chunk
  },
  server: {
    // `npm run dev` against a running server on :8080 (override with LIGHTNVR_URL).
    proxy: {
      '/api': process.env.LIGHTNVR_URL || 'http://localhost:8080',
      '/hls': process.env.LIGHTNVR_URL || 'http://localhost:8080',
      '/go2rtc': { target: process.env.LIGHTNVR_URL || 'http://localhost:8080', ws: true },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{js,jsx}'],
    env: { TZ: 'Europe/Berlin' }, // DST days in the timeline tests are real
  },
});
