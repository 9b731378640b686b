// The crawl (issue 14): every page right for its role. Each demo account logs in, reads its own menu
// from the page (the side menu on a desktop, the drawer behind 我的 on a phone) and opens every entry at
// 1440×900, and at 390×844 for the accounts used on phones (PHONE_VISITS). It fails on any answer ≥ 400
// from /api/ (a page must not ask for what its role may not read), any console error or uncaught page
// error, and any error toast. A cadre's menu holds only the cadre's own screens.
//
// The accounts are crawled by three files (crawl_city, crawl_county, crawl_unit), so that each file stays
// well inside the runner's limit per file on a busy machine and the browser suite's servers share them.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, PHONE, launch, newPage, login, errorsShown, closeAll, watchdog } from './helpers.mjs'

const WIDE = { width: 1440, height: 900 }
// what a cadre may open: their own check-in, visits, leave, reports, reminders, village and its work, the rules,
// their own allowances (我的补助)
const CADRE_SCREENS = ['home', 'checkin', 'visits', 'leaves', 'reports', 'discipline', 'villages', 'village_work', 'cases', 'plans',
  'evaluations', 'allowances', 'basis']

let browser

// Collects what goes wrong on the page while `where` names the entry being visited, and counts the
// requests to /api/ still open (page.inflight), so that a visit ends when the page's requests have.
function watch(page) {
  const bad = []
  page.where = 'login'
  page.inflight = 0
  const api = r => r.url().startsWith(BASE + '/api/')
  page.on('request', r => { if (api(r)) page.inflight++ })
  page.on('requestfinished', r => { if (api(r)) page.inflight-- })
  page.on('requestfailed', r => { if (api(r)) page.inflight-- })
  page.on('response', r => {
    // before the login, the login page's session probe answers 401: that is how it learns nobody is in
    if (page.where === 'login' && r.status() === 401 && r.url() === BASE + '/api/v1/session') return
    if (api(r) && r.status() >= 400) {
      bad.push(`${page.where}: ${r.status()} ${r.request().method()} ${r.url().slice(BASE.length)}`)
    }
  })
  return bad
}

// Until no request to /api/ has been open for 400 ms (a page's requests answered), 20 s at most.
async function quiet(page) {
  let still = 0
  for (let i = 0; i < 200 && still < 4; i++) {
    await page.waitForTimeout(100)
    still = page.inflight > 0 ? 0 : still + 1
  }
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask:not([style*="display: none"])'),
    null, { timeout: 15000 }).catch(() => {})
}

async function menuEntries(page, phone) {
  if (phone) {
    await page.locator('[data-test="tab-mine"]').click()
    await page.locator('[data-test="menu-drawer"] [data-test="menu"]').waitFor({ state: 'visible' })
  }
  const root = phone ? '[data-test="menu-drawer"] [data-test="menu"]' : '.aside [data-test="menu"]'
  await page.locator(root).waitFor({ state: 'visible' })
  const keys = await page.locator(`${root} [data-test^="menu-"]`).evaluateAll(
    els => els.map(e => e.getAttribute('data-test').replace(/^menu-/, '')))
  if (phone) {
    await page.keyboard.press('Escape')
    await page.locator('[data-test="menu-drawer"]').waitFor({ state: 'hidden' })
  }
  return keys.filter(k => k !== 'password' && k !== 'security') // the account's own links: in the header on a desktop
}

async function open(page, phone, key) {
  const root = phone ? '[data-test="menu-drawer"] [data-test="menu"]' : '.aside [data-test="menu"]'
  if (phone) {
    await page.locator('[data-test="tab-mine"]').click()
    await page.locator(root).waitFor({ state: 'visible' })
  }
  page.where = key
  await page.locator(`${root} [data-test="menu-${key}"]`).click()
  // the drawer closes when the page changes; the entry of the page already shown leaves it open
  if (phone) {
    const drawer = page.locator('[data-test="menu-drawer"]')
    await drawer.waitFor({ state: 'hidden', timeout: 3000 }).catch(async () => {
      await page.keyboard.press('Escape')
      await drawer.waitFor({ state: 'hidden' })
    })
  }
  await page.locator('.main > *').first().waitFor({ state: 'visible' })
  await quiet(page)
}

// The accounts whose users work on a phone (a cadre, a township, a unit, a county department) have
// every entry opened at phone size too; the others have their phone menu read and compared. One pass
// at a time: the server caps connections per address, and the test build is slow.
const PHONE_VISITS = ['cadre1', 'shazhouba_sec', 'unit_leader1', 'ruijin_org']

async function crawl(user, viewport) {
  const phone = viewport.width < 768
  const page = await newPage(browser, viewport)
  const bad = watch(page)
  await login(page, user)
  await quiet(page)
  const keys = await menuEntries(page, phone)
  assert.ok(keys.length > 0, `${user}: an empty menu`)
  const toasts = []
  for (const key of phone && !PHONE_VISITS.includes(user) ? [] : keys) {
    await open(page, phone, key)
    for (const t of await errorsShown(page)) toasts.push(`${key}: ${t}`)
  }
  console.error(`crawl: ${user} ${viewport.width}×${viewport.height}: ${keys.join(' ')}; ${bad.length} bad answers, ` +
    `${page.problems.length} console errors, ${toasts.length} error messages`)
  const size = phone ? 'phone' : 'desktop'
  assert.deepEqual(bad, [], `${user} (${size}): answers ≥ 400 from /api/`)
  assert.deepEqual(page.problems, [], `${user} (${size}): console or page errors`)
  assert.deepEqual(toasts, [], `${user} (${size}): errors shown`)
  await page.context().close()
  return keys
}

// Registers one test per account of `roles` (ZHUCUN_CRAWL_ROLES=a,b narrows a run by hand to some of them).
export function crawlRoles(roles) {
  const only = process.env.ZHUCUN_CRAWL_ROLES?.split(',')
  watchdog(20 * 60000)
  before(async () => { browser = await launch() })
  after(async () => { await closeAll(browser) })
  for (const user of roles.filter(r => !only || only.includes(r))) {
    test(`${user} opens every entry of their menu, desktop and phone, with no error`, { timeout: 900000 }, async () => {
      const desk = await crawl(user, WIDE)
      const phone = await crawl(user, PHONE)
      assert.deepEqual([...phone].sort(), [...desk].sort(), `${user}: the phone's menu differs from the desktop's`)
      if (user === 'cadre1') {
        const foreign = desk.filter(k => !CADRE_SCREENS.includes(k))
        assert.deepEqual(foreign, [], 'the cadre sees managers\' screens')
      }
    })
  }
}
