// The field app's UI, built to dist/ which src-tauri embeds (frontendDist). There is no
// dev server in the build the tests use: Tauri loads these files through its own protocol.
import { defineConfig } from 'vite'

export default defineConfig({
  base: './',
  clearScreen: false,
  server: { fs: { allow: ['..'] } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2021',
    // WebKitGTK and Android WebView load these from disk: inline nothing, no map files.
    sourcemap: false,
    assetsInlineLimit: 0,
  },
})
