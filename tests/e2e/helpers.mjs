// Shared helpers for the browser tests: playwright-core driving Debian's Chromium headless shell.
// The server to test comes from ZHUCUN_URL (e.g. http://127.0.0.1:18080), started by the runner with a demo database.
import { chromium } from 'playwright-core'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NOW_MS } from '../clock.mjs'
import { DEMO_SECOND_FACTOR, sharedSession } from '../api/lib.mjs'

export const BASE = (process.env.ZHUCUN_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '')
export const PASSWORD = process.env.ZHUCUN_DEMO_PASSWORD || 'Zhucun@2026'
export const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'shots')
export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 390, height: 844 }
export const MENU_KEYS = ['home', 'regions', 'units', 'users', 'cadres', 'audit']
// The headless shell (Debian's chromium-headless-shell: the old headless mode, the same Blink and V8 without the
// full browser's UI layer) is what playwright itself runs headless; Debian's full chromium cost more CPU on the
// same file (crawl_county: 138 against 116 cpu-s, 2026-12-07), and CI's 2 cores are saturated. CHROMIUM names
// another binary.
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium-headless-shell'

// No test may hang: the whole file dies after this long whatever happens.
export function watchdog(ms = 240000) {
  setTimeout(() => { console.error(`e2e: watchdog fired after ${ms} ms`); process.exit(1) }, ms).unref()
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
  })
}

// A fresh context (own cookies and sessionStorage) and page. Browser console errors and failed
// requests are collected in page.problems so that a test can show them when it fails.
// The browser's clock is the phone's: it shows the server's pinned instant (tests/clock.mjs), as
// a phone's clock agrees with the server's in real use; timers still run. A clock that does not move
// would never end an animation timed by it: the page asks for reduced motion (an accessibility setting
// the UI honours; its charts then draw at once, ui/src/components/echarts-motion.js), or ECharts repaints
// every chart on screen at every frame (a quarter of a core each, for as long as it is shown). `pos`
// ({lat, lng}) is where the phone says it is, with the permission to read it.
export async function newPage(browser, viewport = DESKTOP, pos = null) {
  const phone = viewport.width < 768
  const context = await browser.newContext({
    viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce',
    deviceScaleFactor: phone ? 2 : 1, isMobile: phone, hasTouch: phone,
    ...(pos ? { geolocation: { latitude: pos.lat, longitude: pos.lng, accuracy: 20 }, permissions: ['geolocation'] } : {})
  })
  await context.clock.setFixedTime(NOW_MS)
  // waits follow states; these limits only end a test that would hang, on a machine as busy as CI's
  context.setDefaultTimeout(30000)
  context.setDefaultNavigationTimeout(45000)
  const page = await context.newPage()
  page.problems = []
  page.on('pageerror', e => page.problems.push('pageerror: ' + e.message))
  // a 401 before login is the session probe of the login page, not a fault
  page.on('console', m => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) page.problems.push('console: ' + m.text())
  })
  return page
}

// The demo accounts with 两步验证 (the administrators, the city and county departments) have only three
// codes at the server's pinned instant, so the browser is given the session the suite shares for
// such an account (tests/api/lib.mjs) instead of the login form; second_factor.test.mjs drives the
// form's second step itself with an account of its own.
export async function login(page, username, password = PASSWORD) {
  if (DEMO_SECOND_FACTOR.includes(username) && password === PASSWORD) {
    const s = await sharedSession(username)
    const { hostname } = new URL(BASE)
    await page.context().addCookies([{ name: 'zc_session', value: s.cookie, domain: hostname, path: '/', httpOnly: true, sameSite: 'Strict' }])
    // a page already on the app (e.g. the login page) would only change its hash and keep believing it
    // has no session: load the app afresh so that it asks the server
    await page.goto('about:blank')
    await page.goto(BASE + '/#/')
    await page.locator('[data-test="current-user"]').waitFor({ state: 'visible' })
    return
  }
  await page.goto(BASE + '/#/login')
  await page.locator('[data-test="login-username"]').fill(username)
  await page.locator('[data-test="login-password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.locator('[data-test="current-user"]').waitFor({ state: 'visible' })
}

export async function logout(page) {
  await page.locator('[data-test="logout"]').click()
  const confirm = page.locator('.el-message-box__btns .el-button--primary')
  if (await confirm.isVisible().catch(() => false)) await confirm.click()
  await page.locator('[data-test="login-submit"]').waitFor({ state: 'visible' })
}

// The menu keys shown in the side menu (desktop) — what the session API's `menu` allowed.
export async function menuKeys(page) {
  await page.locator('[data-test="menu"]').first().waitFor({ state: 'visible' })
  const tests = await page.locator('[data-test="menu"] [data-test^="menu-"]').evaluateAll(
    els => els.map(e => e.getAttribute('data-test')))
  return tests.map(t => t.replace(/^menu-/, '')).filter(k => MENU_KEYS.includes(k))
}

// Waits until no list/tree on the page is loading any more.
export async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {})
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask:not([style*="display: none"])'),
    null, { timeout: 15000 }).catch(() => {})
}

// Picks in a remote select (el-select filterable remote: CadreSelect, the household picker): types text,
// waits until the dropdown holds the search's answer (every visible option has text), clicks the first and
// waits until the select shows it. Clicking at once could meet the list from before the search: under load
// (CI, 2026-12-06) the violation's dialog then sent no cadre (400) and stayed open.
export async function pickRemote(page, select, text) {
  await select.click()
  await page.keyboard.type(text)
  const options = page.locator('.el-select-dropdown__item:visible')
  for (let i = 0; i < 150; i++) {
    const all = await options.count()
    if (all > 0 && all === await options.filter({ hasText: text }).count()) break
    await page.waitForTimeout(100)
  }
  await options.filter({ hasText: text }).first().click()
  await select.filter({ hasText: text }).waitFor()
}

// Fails when the page shows an error: a toast (ElMessage error) or an inline list error.
export async function errorsShown(page) {
  const toasts = await page.locator('.el-message--error').allInnerTexts()
  const inline = await page.locator('[data-test="list-error"]').allInnerTexts()
  return [...toasts, ...inline].map(s => s.trim()).filter(Boolean)
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  const file = path.join(SHOTS, name + '.png')
  await page.screenshot({ path: file, fullPage: false })
  return file
}

export async function closeAll(browser) {
  if (!browser) return
  await Promise.race([browser.close(), new Promise(r => setTimeout(r, 10000))]).catch(() => {})
}
