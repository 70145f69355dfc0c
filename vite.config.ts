import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The client is built from client/ into dist/client, which the server serves. In development
 * Vite serves the client and forwards API, collaboration-socket and health requests to the
 * API server (PORT, as `npm run dev` sets it; 3000 by default).
 */
const apiTarget = `http://localhost:${process.env.PORT ?? '3000'}`;

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // The document page's chunk is Tiptap + ProseMirror + Yjs (about 540 kB before gzip); it is
    // split from the rest and loaded only when a document is opened.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/collab': { target: apiTarget, ws: true, changeOrigin: false },
      '/healthz': { target: apiTarget },
    },
  },
});
