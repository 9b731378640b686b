import { createApp } from 'vue'
// Element Plus is not installed whole: each component a template uses is imported with its CSS by
// the build (vite.config.js). Here only the CSS of ElMessage, called from scripts (api.js fetches its
// code when a first message is shown). The Chinese locale and ElMessageBox's CSS come with Layout.vue,
// where every page behind the login lives: the login page loads none of them (weak signal, issue 14).
import 'element-plus/es/components/message/style/css'
import './styles.css'
import App from './App.vue'
import router from './router.js'
import { setRouter } from './api.js'

setRouter(router)
const app = createApp(App)
app.use(router)
app.mount('#app')

// Production only: a service worker keeps the app shell (index.html, /assets/*) so that a cadre's
// phone opens 我的驻村 again without a signal (public/sw.js; /api/ is never cached).
if (import.meta.env.PROD && typeof navigator !== 'undefined' && 'serviceWorker' in navigator && window.isSecureContext) {
  const tellAssets = () => {
    const ctl = navigator.serviceWorker.controller
    const target = ctl || null
    const urls = performance.getEntriesByType('resource').map(e => e.name).filter(u => u.includes('/assets/'))
    navigator.serviceWorker.ready.then(reg => {
      const w = target || reg.active
      if (w) w.postMessage({ type: 'cache-assets', urls })
    }).catch(() => {})
  }
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(tellAssets).catch(() => { /* no offline shell */ })
  })
  // lazy chunks loaded after the worker took control are cached by it; those loaded just before are sent
  router.afterEach(() => setTimeout(tellAssets, 1500))
}
