// Daily management (notice 2.1, 2.4): cadre1's one-tap check-in on a phone — in the village, 5 km away
// with a reason, and offline (kept on the phone, sent when the signal returns, original time kept);
// a 2-day leave approved by the township's 组织委员 in the inbox; the township secretary's 今日在岗 board.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { randomInt, today } from '../clock.mjs'

watchdog(300000)
let browser
let centre = null   // the fence of 沙洲坝村 (360781104200): {lat, lng, radius_m}
let cadreName = ''
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const cst = (offsetDays = 0) => today(offsetDays)
const newPageAt = (viewport, pos) => newPage(browser, viewport, pos)

async function openCheckin(page) {
  // a cadre lands on 我的驻村
  await page.locator('[data-test="checkin-page"]').waitFor({ state: 'visible' })
  await page.locator('[data-test="checkin-station"]').getByText('沙洲坝').waitFor()
  await settle(page)
}

test('the fence of 沙洲坝村 (as shazhouba_sec)', { timeout: 60000 }, async () => {
  const page = await newPageAt(DESKTOP)
  await login(page, 'shazhouba_sec')
  const r = await (await page.request.get(`${BASE}/api/v1/regions/360781104200`)).json()
  assert.ok(r.lat && r.lng && r.radius_m, 'the village has a fence: ' + JSON.stringify(r))
  centre = { lat: r.lat, lng: r.lng, radius_m: r.radius_m }
  await page.context().close()
})

test('(a) cadre1 at the village centre: one tap → 已在…范围内', { timeout: 90000 }, async () => {
  const page = await newPageAt(PHONE, centre)
  await login(page, 'cadre1')
  await openCheckin(page)
  const me = await (await page.request.get(`${BASE}/api/v1/me/today`)).json()
  assert.equal(me.assignment.village_code, '360781104200')
  const before = me.checkins.length
  await page.locator('[data-test="checkin-button"]').click()
  const res = page.locator('[data-test="checkin-result"]')
  await res.waitFor()
  await page.waitForFunction(() => document.querySelector('[data-test="checkin-result"]')?.dataset.kind !== undefined)
  assert.match(await res.innerText(), /已在.*范围内/)
  assert.equal(await res.getAttribute('data-kind'), 'ok')
  await page.waitForFunction(n => document.querySelectorAll('[data-test="today-item"]').length > n, before)
  const after = await (await page.request.get(`${BASE}/api/v1/me/today`)).json()
  assert.equal(after.checkins.length, before + 1)
  assert.equal(after.checkins[0].in_fence, true)
  assert.equal(after.checkins[0].source, 'gps')
  cadreName = after.checkins[0].cadre_name
  assert.deepEqual(await errorsShown(page), [])
  await shot(page, 'checkin-phone-in-village')
  await page.locator('[data-test="checkin-tabs"]').scrollIntoViewIfNeeded()
  await shot(page, 'checkin-phone-tabs')
  assert.deepEqual(page.problems, [])
  await page.context().close()
})

test('(b) cadre1 5 km away: 不在…范围内, adds a reason, re-submits (the first one stays)', { timeout: 90000 }, async () => {
  const away = { lat: centre.lat + 0.045, lng: centre.lng } // ~5 km north
  const page = await newPageAt(PHONE, away)
  await login(page, 'cadre1')
  await openCheckin(page)
  const before = (await (await page.request.get(`${BASE}/api/v1/me/today`)).json()).checkins.length
  await page.locator('[data-test="checkin-button"]').click()
  const res = page.locator('[data-test="checkin-result"][data-kind="outside"]')
  await res.waitFor()
  assert.match(await res.innerText(), /不在.*范围内/)
  // re-submit without a reason: asked for one, nothing sent
  await page.locator('[data-test="checkin-resubmit"]').click()
  await page.locator('[data-test="checkin-outside"] .field-error').waitFor()
  await page.locator('[data-test="checkin-reason"] input, input[data-test="checkin-reason"]').first().fill('到三组入户走访脱贫户')
  await shot(page, 'checkin-phone-outside')
  await page.locator('[data-test="checkin-resubmit"]').click()
  await page.waitForFunction(n => document.querySelectorAll('[data-test="today-item"]').length >= n + 2, before)
  const me = await (await page.request.get(`${BASE}/api/v1/me/today`)).json()
  assert.equal(me.checkins.length, before + 2, 'both check-ins are kept')
  assert.equal(me.checkins[0].in_fence, false)
  assert.equal(me.checkins[0].reason, '到三组入户走访脱贫户')
  assert.equal(me.checkins[1].reason, '')
  assert.match(await page.locator('[data-test="today-list"]').innerText(), /到三组入户走访脱贫户/)
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})

test('(c) offline: kept on the phone, survives a reload, sent when back online with its original time', { timeout: 120000 }, async () => {
  const page = await newPageAt(PHONE, centre)
  await login(page, 'cadre1')
  await openCheckin(page)
  // the service worker has the app shell (production build)
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration()
    if (!reg || !reg.active) return false
    const c = await caches.open('zhucun-shell-v1')
    const keys = (await c.keys()).map(r => new URL(r.url).pathname)
    return keys.includes('/') && keys.some(k => /\/assets\/MyVillage-.*\.js$/.test(k))
  }, null, { timeout: 20000, polling: 500 })
  const before = (await (await page.request.get(`${BASE}/api/v1/me/today`)).json()).checkins.length

  await page.context().setOffline(true)
  await page.locator('[data-test="offline-banner"]').waitFor()
  await page.locator('[data-test="checkin-button"]').click()
  const res = page.locator('[data-test="checkin-result"][data-kind="queued"]')
  await res.waitFor()
  assert.match(await res.innerText(), /已暂存，有信号后自动补传/)
  assert.equal(await page.locator('[data-test="queue-count"]').getAttribute('data-count'), '1')
  await shot(page, 'checkin-phone-offline')

  // reload without a signal: the page comes from the service worker, the queue from localStorage
  await page.reload()
  await page.locator('[data-test="checkin-page"]').waitFor()
  await page.locator('[data-test="queue-count"][data-count="1"]').waitFor()
  await page.locator('[data-test="today-queued"]').waitFor()

  // pretend it waited 3 minutes: the server marks it 补传 (delayed), keeping the original time
  const item = await page.evaluate(() => {
    const k = Object.keys(localStorage).find(x => x.startsWith('zc_checkin_queue:'))
    const q = JSON.parse(localStorage.getItem(k))
    const d = new Date(Date.now() - 180000 + 8 * 3600000).toISOString().slice(0, 19) + '+08:00' // clock-ok: in the browser, whose clock the test fixed
    q[0].at = d
    localStorage.setItem(k, JSON.stringify(q))
    return q[0]
  })
  assert.ok(item.client_id)

  await page.context().setOffline(false)
  await page.locator('[data-test="queue-count"][data-count="0"]').waitFor({ timeout: 40000 })
  await page.locator('[data-test="offline-banner"]').waitFor({ state: 'detached' })
  const row = page.locator(`[data-test="today-item"][data-client="${item.client_id}"]`)
  await row.waitFor({ timeout: 20000 })
  await row.locator('[data-test="today-delayed"]').waitFor()
  assert.match(await row.innerText(), /补传/)
  const me = await (await page.request.get(`${BASE}/api/v1/me/today`)).json()
  assert.equal(me.checkins.length, before + 1)
  const sent = me.checkins.find(c => c.client_id === item.client_id)
  assert.ok(sent && sent.delayed, 'the queued check-in is recorded and marked delayed')
  await page.locator('[data-test="checkin-result"][data-kind="ok"]').filter({ hasText: '已补传 1 条' }).waitFor()
  await settle(page)
  await shot(page, 'checkin-phone-resent')
  await page.context().close()
})

let leaveDates = null
test('(d) cadre1 asks for a 2-day leave; shazhouba_dep approves it in the inbox', { timeout: 150000 }, async () => {
  const off = 20 + Math.floor(Math.random() * 100) * 3
  leaveDates = [cst(off), cst(off + 1)]
  let page = await newPageAt(DESKTOP)
  await login(page, 'cadre1')
  await page.locator('[data-test="menu"] [data-test="menu-leaves"]').click()
  const form = page.locator('[data-test="leave-form"]')
  await form.waitFor()
  await settle(page)
  for (const [t, v] of [['leave-start', leaveDates[0]], ['leave-end', leaveDates[1]]]) {
    const input = page.locator(`[data-test="${t}"] input, input[data-test="${t}"]`).first()
    await input.click()
    await input.fill(v)
    await input.press('Enter')
  }
  await page.keyboard.press('Escape')
  assert.match(await page.locator('[data-test="leave-days"]').innerText(), /共 2 天.*乡镇党委审批/)
  await page.locator('[data-test="leave-reason"] textarea, textarea[data-test="leave-reason"]').first().fill('家中老人住院，回家照料')
  await page.locator('[data-test="leave-submit"]').click()
  const mine = page.locator('[data-test="my-leave"]').filter({ hasText: leaveDates[0].slice(5) })
  await mine.first().waitFor()
  assert.match(await mine.first().innerText(), /待审批/)
  assert.deepEqual(await errorsShown(page), [])
  await shot(page, 'leaves-cadre-desktop')
  await page.context().close()

  page = await newPageAt(DESKTOP)
  await login(page, 'shazhouba_dep')
  await page.locator('[data-test="menu"] [data-test="menu-leaves"]').click()
  const inbox = page.locator('[data-test="leave-inbox"]')
  const row = inbox.locator('.el-table__body .el-table__row').filter({ hasText: leaveDates[0] })
  await row.first().waitFor()
  await settle(page)
  await shot(page, 'leaves-inbox-desktop')
  await row.first().locator('[data-test="leave-approve"]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('.el-message--success').first().waitFor()
  await row.first().waitFor({ state: 'detached' })
  const list = await (await page.request.get(`${BASE}/api/v1/leaves?status=approved&page_size=200`)).json()
  const approved = list.items.find(l => l.start_date === leaveDates[0] && l.cadre_name === cadreName)
  assert.ok(approved, 'the leave is approved')
  assert.equal(approved.days, 2)
  assert.equal(approved.decided_by, 'shazhouba_dep')
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})

test('(e) shazhouba_sec opens 今日在岗 and sees cadre1 在村', { timeout: 90000 }, async () => {
  assert.ok(cadreName, 'needs (a)')
  const page = await newPageAt(DESKTOP)
  await login(page, 'shazhouba_sec')
  await page.locator('[data-test="menu"] [data-test="menu-board"]').click()
  await page.locator('[data-test="board-page"]').waitFor()
  const table = page.locator('[data-test="board-table"]')
  const row = table.locator('.el-table__body .el-table__row').filter({ hasText: cadreName }).filter({ hasText: '沙洲坝村' })
  await row.first().waitFor()
  await settle(page)
  assert.match(await row.first().locator('[data-test="board-status"]').innerText(), /在村/)
  const present = Number(await page.locator('[data-test="board-total-present"] .num').innerText())
  assert.ok(present >= 1)
  // the default order is the server's (village, post): no ranking
  const api = await (await page.request.get(`${BASE}/api/v1/board?date=${cst()}`)).json()
  const names = await table.locator('.el-table__body .el-table__row td:first-child').allInnerTexts()
  assert.deepEqual(names.map(s => s.trim()), api.items.slice(0, names.length).map(i => i.name))
  assert.equal(await page.locator('[data-test="board-export"]').getAttribute('href'), `/api/v1/board?date=${cst()}&format=xlsx`)
  assert.deepEqual(await errorsShown(page), [])
  await shot(page, 'board-desktop')
  await page.context().close()
})

test('(f) cadre1 writes a log linked to today\'s check-in and drafts the work report (phone)', { timeout: 90000 }, async () => {
  const page = await newPageAt(PHONE, centre)
  await login(page, 'cadre1')
  await openCheckin(page)
  const me = await (await page.request.get(`${BASE}/api/v1/me/today`)).json()
  const words = `走访脱贫户 ${randomInt(100000)} 户次，核实“两不愁三保障”情况`
  await page.locator('[data-test="checkin-tabs"] .el-tabs__item').filter({ hasText: '写日志' }).click()
  await page.locator('[data-test="log-duty"]').click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: '巩固脱贫成果' }).click()
  await page.locator('[data-test="log-text"] textarea, textarea[data-test="log-text"]').first().fill(words)
  await page.locator('[data-test="log-submit"]').click()
  await page.locator('[data-test="log-recent"]').getByText(words).first().waitFor()
  const logs = await (await page.request.get(`${BASE}/api/v1/logs?from=${cst()}&to=${cst()}`)).json()
  const log = logs.items.find(l => l.text === words)
  assert.ok(log, 'the log is saved')
  assert.equal(log.duty, 'consolidation')
  await shot(page, 'checkin-phone-log')

  await page.locator('[data-test="checkin-tabs"] .el-tabs__item').filter({ hasText: '工作报告' }).click()
  await page.locator('[data-test="report-make"]').click()
  const text = page.locator('[data-test="report-text"] textarea, textarea[data-test="report-text"]').first()
  await text.waitFor()
  const draft = await text.inputValue()
  assert.match(draft, /驻村工作报告[\s\S]*巩固脱贫成果（\d+ 次）/)
  assert.ok(draft.includes(words), draft)
  await text.fill((await text.inputValue()) + '\n（已核对）')
  assert.match(await text.inputValue(), /已核对/)
  assert.deepEqual(await errorsShown(page), [])
  assert.ok(me.checkins.length > 0)
  await shot(page, 'checkin-phone-report')
  await page.context().close()
})

test('phone views of 今日在岗 and the leave inbox read well', { timeout: 90000 }, async () => {
  for (const [user, hash, test, name] of [['shazhouba_sec', '/#/board', 'board-page', 'board-phone'],
    ['ruijin_org', '/#/leaves', 'leaves-page', 'leaves-county-phone']]) {
    const page = await newPageAt(PHONE)
    await login(page, user)
    await page.goto(BASE + hash)
    await page.locator(`[data-test="${test}"]`).waitFor()
    await settle(page)
    assert.deepEqual(await errorsShown(page), [])
    await shot(page, name)
    await page.context().close()
  }
})

test('(g) no location permission: a clear message; a queued check-in the server refuses (too_late) is dropped with a note', { timeout: 90000 }, async () => {
  const page = await newPageAt(PHONE) // no geolocation permission granted
  await login(page, 'cadre1')
  await openCheckin(page)
  await page.locator('[data-test="checkin-button"]').click()
  const res = page.locator('[data-test="checkin-result"][data-kind="error"]')
  await res.waitFor({ timeout: 25000 })
  assert.match(await res.innerText(), /定位权限|定位超时|无法获取位置/)

  // a check-in kept on the phone for 4 days (older than checkin_max_delay_hours, 72)
  await page.evaluate(() => {
    const k = 'zc_checkin_queue:cadre1'
    const at = new Date(Date.now() - 4 * 86400000 + 8 * 3600000).toISOString().slice(0, 19) + '+08:00' // clock-ok: in the browser
    localStorage.setItem(k, JSON.stringify([{ client_id: 'deadbeef' + Date.now(), at, lat: 26, lng: 115.9, accuracy_m: 10, source: 'gps', queued_at: at }])) // clock-ok: in the browser
  })
  await page.reload()
  await page.locator('[data-test="queue-dropped"]').waitFor()
  assert.match(await page.locator('[data-test="queue-dropped"]').innerText(), /未能补传/)
  assert.equal(await page.locator('[data-test="queue-count"]').getAttribute('data-count'), '0')
  await shot(page, 'checkin-phone-dropped')
  await page.context().close()
})
