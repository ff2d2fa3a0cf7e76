import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

/** Where `pnpm dev` forwards API and socket traffic: a FarmLive server started with `pnpm start`. */
const target = process.env.FARMLIVE_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [
    vue(),
    // Imports each Vant component and its styles where it is used, so pages ship only what they need.
    Components({ resolvers: [VantResolver()], dts: 'src/components.d.ts', dirs: [] }),
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: {
      '/api': target,
      '/socket.io': { target, ws: true },
    },
  },
  build: {
    // WeChat's built-in browser and cheap Android phones run older Chromium-based WebViews.
    target: ['chrome87', 'safari14'],
    outDir: 'dist',
    emptyOutDir: true,
  },
});
