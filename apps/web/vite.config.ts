import { defineConfig } from 'vite';

// `pnpm dev` serves the page with hot reload and forwards API calls to a server on :3000.
const apiServer = process.env.CHUNKFLOW_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  build: { outDir: 'dist', target: 'es2022', sourcemap: true },
  server: { proxy: { '/trpc': apiServer, '/api': apiServer } },
});
