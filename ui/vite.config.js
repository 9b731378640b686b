// Vite build of the zhucun web UI. `npm run build` writes ui/dist, which
// `build/zhucun serve --ui ui/dist` serves at `/` (index.html) and `/assets/...`.
//
// A first visit on a weak village signal (400 ms round trip, ~400 kbit/s) must show the login form
// within 3 s, so the login page may not pull in the whole component library:
// - every route is its own chunk (dynamic import() in router.js);
// - Element Plus components are imported where a template uses them, each with its own CSS
//   (unplugin-vue-components with its Element Plus resolver), never the whole library and its
//   350 KB stylesheet; ElMessage and ElMessageBox are imported by name where they are called;
// - fonts are the system's (styles.css), no web font is downloaded.
// Vue and vue-router, and ECharts, keep chunks of their own so that an upgrade of the app does not make
// phones download them again; Element Plus is left to Rollup, which puts each component with the
// pages that use it (or in a chunk shared by them). tests/e2e/weak_signal.test.mjs holds the budget.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

function vendorChunk(id) {
  if (!id.includes('node_modules')) return undefined
  // the map series and its geo code: only 数据大屏 draws a map
  if (/[\\/]node_modules[\\/]echarts[\\/]lib[\\/](chart[\\/]map[\\/]|coord[\\/]geo[\\/]|component[\\/]geo[\\/]|component[\\/]helper[\\/]MapDraw\.js)/.test(id)) return 'echarts-map'
  if (/[\\/]node_modules[\\/](echarts|zrender|tslib)[\\/]/.test(id)) return 'echarts'
  if (/[\\/]node_modules[\\/](vue|vue-router|@vue)[\\/]/.test(id)) return 'vue'
  return undefined
}

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    Components({ dirs: [], dts: false, resolvers: [ElementPlusResolver({ importStyle: 'css', directives: true })] })
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2019',
    cssCodeSplit: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: { manualChunks: vendorChunk }
    }
  },
  server: {
    // `npm run dev` against a running server: ZHUCUN_URL=http://127.0.0.1:18080 npm run dev
    proxy: { '/api': { target: process.env.ZHUCUN_URL || 'http://127.0.0.1:18080', changeOrigin: false } }
  }
})
