// Vite build of the dashboard: `npm run build` writes dist/ (index.html plus
// hashed files under assets/), which `headroom serve --web` serves at /.
// `npm run dev` proxies /v1 and /healthz to a local `headroom serve`
// (HEADROOM_URL, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

const target = process.env.HEADROOM_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/v1': target, '/healthz': target },
  },
});
