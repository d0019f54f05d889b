import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import pkg from './package.json'

// Three builds: the Electron main process (plus the CLI/hub entry, plain Node), the preload
// bridge (CommonJS: a sandboxed preload cannot be an ES module), and the React renderer.
export default defineConfig({
  main: {
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          server: resolve(__dirname, 'electron/server/index.ts'),
          'import-worker': resolve(__dirname, 'electron/core/leads/import-worker.ts'),
          'parse-worker': resolve(__dirname, 'electron/core/leads/parse-worker.ts')
        },
        output: {
          banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '')
        }
      }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron': bundle everything it uses.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    // Static files of the UI (icon, the simulated customer's lines) live with the other resources.
    publicDir: resolve(__dirname, 'resources/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      chunkSizeWarningLimit: 2000,
      // Scripts (the recorder's AudioWorklet) must stay files: the CSP allows no data: scripts.
      assetsInlineLimit: (file: string) => (file.endsWith('.js') ? false : undefined),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') }
    }
  }
})
