import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

// The C server serves build/web: index.html for every non-API path, and files under /assets/
// (content-hashed, cached as immutable). Absolute base so nested routes load the same assets.
export default defineConfig({
  base: '/',
  build: {
    outDir: '../build/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    // The polyfill is inlined into the entry chunk; every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    port: 18620,
    strictPort: true,
    // `DTI_API=http://127.0.0.1:18610 npm run dev` develops against a running `dti serve`.
    proxy: { '/api': process.env.DTI_API ?? 'http://127.0.0.1:18610' },
  },
});
