import { defineConfig } from 'vite'

// The server serves dist/ at `/` (index.html for every non-API path, files under
// /assets/), so the base is the root and every asset is bundled: no CDN, no internet.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', assetsDir: 'assets', emptyOutDir: true, sourcemap: false },
  server: {
    // `npm run dev` against a saakshi-server on its default address.
    proxy: { '/api': 'http://127.0.0.1:8470' },
  },
})
