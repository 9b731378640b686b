// Vite build of the zhucun web UI. `npm run build` writes ui/dist, which
// `build/zhucun serve --ui ui/dist` serves at `/` (index.html) and `/assets/...`.
// Vendor code goes into its own chunks so that an upgrade of the app does not
// make phones on a weak signal download Vue and Element Plus again.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

function vendorChunk(id) {
  if (!id.includes('node_modules')) return undefined
  if (/[\\/]node_modules[\\/](echarts|zrender|tslib)[\\/]/.test(id)) return 'echarts'
  if (/[\\/]node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@sxzz|lodash|lodash-es|lodash-unified|dayjs|@vueuse|async-validator|@ctrl|memoize-one|normalize-wheel-es)[\\/]/.test(id)) return 'element-plus'
  if (/[\\/]node_modules[\\/](vue|vue-router|@vue)[\\/]/.test(id)) return 'vue'
  return 'vendor'
}

export default defineConfig({
  base: '/',
  plugins: [vue()],
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
