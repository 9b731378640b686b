// Each role's first screen (issue 14): the 待办 list comes first with the counts of GET /me/todo (the
// totals of the lists they open), the township sees 今日在岗 from the same query as the board, the
// cadre sees today's check-in and days in the village this month against the minimum; no region
// code on the home page. On a phone a bottom tab bar (首页 / 待办 with its count / 打卡 or 在岗 / 我的)
// and the full menu one tap away. Desktop and phone screenshots of every role's home.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog(600000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const get = async (page, path) => {
  const r = await page.request.get(`${BASE}/api/v1${path}`)
  assert.equal(r.status(), 200, `${path}: ${r.status()}`)
  return r.json()
}

async function checkHome(page, user) {
  // a cadre lands on 我的驻村 (one-tap check-in); the home page is one tap away
  if (!/#\/$/.test(page.url())) {
    const phone = page.viewportSize().width < 768
    await page.locator(phone ? '[data-test="tab-home"]' : '[data-test="menu"] [data-test="menu-home"]').click()
  }
  const home = page.locator('[data-test="home"]')
  await home.waitFor()
  await page.locator('[data-test="todo-card"]').waitFor()
  await settle(page)
  const todo = await get(page, '/me/todo')
  if (!todo.items.length) {
    await page.locator('[data-test="todo-empty"]').waitFor()
  } else {
    assert.equal((await page.locator('[data-test="todo-total"]').innerText()).trim(), `共 ${todo.total} 项`)
    for (const it of todo.items) {
      const row = page.locator(`[data-test="todo-${it.kind}"]`)
      assert.match(await row.innerText(), new RegExp(it.title), `${user} ${it.kind}`)
      assert.equal((await page.locator(`[data-test="todo-count-${it.kind}"]`).innerText()).trim(), String(it.count))
      if (it.days_late > 0) assert.match(await row.innerText(), new RegExp(`已逾期 ${it.days_late} 天`))
    }
  }
  // the todo card is the first card of the page
  const first = await home.locator('.page-card').first().getAttribute('data-test')
  assert.equal(first, 'todo-card', `${user}: 待办 first`)
  // no 12-digit region code on the home page
  assert.doesNotMatch(await home.innerText(), /\d{12}/, `${user}: a region code on the home page`)
  return todo
}

const ROLES = ['city_org', 'ruijin_org', 'shazhouba_sec', 'unit_leader1', 'cadre1', 'sysadmin']

for (const user of ROLES) {
  test(`${user}'s home: 待办 first, 今日, and the phone's tab bar`, { timeout: 180000 }, async () => {
    // desktop
    const page = await newPage(browser, DESKTOP)
    await login(page, user)
    const todo = await checkHome(page, user)
    if (user === 'shazhouba_sec') {
      const board = await get(page, '/board')
      const card = page.locator('[data-test="board-today"]')
      await card.waitFor()
      for (const k of ['present', 'leave', 'absent', 'rest'])
        assert.match(await page.locator(`[data-test="board-today-${k}"]`).innerText(), new RegExp(`^${board.totals[k]}\\b`))
      // only 未到岗 is marked, and only when someone is missing: a count of those present is not a verdict
      for (const k of ['present', 'leave', 'absent', 'rest']) {
        const marked = /\balert\b/.test(await page.locator(`[data-test="board-today-${k}"]`).getAttribute('class'))
        assert.equal(marked, k === 'absent' && board.totals[k] > 0, `board-today-${k} marked`)
      }
    }
    if (user === 'shazhouba_sec') {
      // a late duty names the day it missed and the days since, not its whole period
      const mine = await get(page, '/obligations/mine')
      const c = mine.late.items[0]
      assert.ok(c, 'the township has a late duty in the demo')
      const late = Math.round((Date.parse(`${mine.today}T00:00:00Z`) - Date.parse(`${c.due}T00:00:00Z`)) / 86400000)
      assert.equal((await page.locator('[data-test="late-due"]').first().innerText()).trim(), `应于 ${c.due} 前完成，已逾期 ${late} 天`)
    }
    if (user === 'cadre1') {
      const p = (await get(page, '/presence')).items[0]
      const month = page.locator('[data-test="today-month"]')
      await month.waitFor()
      assert.match(await month.innerText(), new RegExp(`${p.days_in_village}\\s*/ ${p.min_days} 天`))
      assert.match(await page.locator('[data-test="today-checkin"]').innerText(), /打卡|请假/)
    }
    if (todo.items.length) {
      // a tap opens the list to act on it
      const it = todo.items[0]
      await page.locator(`[data-test="todo-${it.kind}"]`).click()
      await page.waitForURL((u) => u.hash.startsWith('#' + it.route.split('?')[0]))
      await settle(page)
      await page.goBack()
      await page.locator('[data-test="todo-card"]').waitFor()
    }
    await settle(page)
    await shot(page, `home-${user}-desktop`)
    assert.deepEqual(await errorsShown(page), [])
    assert.deepEqual(page.problems, [])
    await page.context().close()

    // phone
    const phone = await newPage(browser, PHONE)
    await login(phone, user)
    await checkHome(phone, user)
    const bar = phone.locator('[data-test="tabbar"]')
    await bar.waitFor()
    const labels = (await bar.locator('.tab-title').allInnerTexts()).map((s) => s.trim())
    const menu = (await get(phone, '/session')).menu
    const third = menu.includes('checkin') ? ['打卡'] : menu.includes('board') ? ['在岗'] : []
    assert.deepEqual(labels, ['首页', '待办', ...third, '我的'], `${user} tabs`)
    const badge = phone.locator('[data-test="tab-todo-badge"]')
    if (todo.total) assert.equal((await badge.innerText()).trim(), String(todo.total))
    else assert.equal(await badge.count(), 0)
    await settle(phone)
    await shot(phone, `home-${user}-phone`)
    // 待办 on its own page, then the full menu one tap away under 我的
    await phone.locator('[data-test="tab-todo"]').click()
    await phone.locator('[data-test="todo-page"] [data-test="todo-card"]').waitFor()
    await phone.locator('[data-test="tab-mine"]').click()
    const drawer = phone.locator('[data-test="menu-drawer"]')
    await drawer.locator('[data-test="menu-home"]').waitFor()
    const keys = await drawer.locator('[data-test^="menu-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
    for (const k of menu) assert.ok(keys.includes('menu-' + k), `${user}: ${k} in the drawer`)
    // the drawer slides in: shoot it once it stands still at the left edge
    await phone.waitForFunction(() => { const d = document.querySelector('.el-drawer'); return d && Math.abs(d.getBoundingClientRect().left) < 1 && !document.querySelector('.el-drawer-fade-enter-active, .el-drawer-fade-enter-from') })
    await shot(phone, `home-${user}-phone-menu`)
    assert.deepEqual(await errorsShown(phone), [])
    assert.deepEqual(phone.problems, [])
    await phone.context().close()
  })
}

// The canvas pixels of the count chart's first series (村, #c0392b), its legend's swatch included.
async function villageBarPixels(page) {
  await page.locator('[data-test="count-chart"] canvas').waitFor()
  await settle(page)
  return page.evaluate(() => {
    const c = document.querySelector('[data-test="count-chart"] canvas')
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i] - 0xc0) < 8 && Math.abs(d[i + 1] - 0x39) < 8 && Math.abs(d[i + 2] - 0x2b) < 8) n++
    return n
  })
}

// Whoever asked for less motion (prefers-reduced-motion, as every page of these tests does) gets the chart
// drawn at once (ui/src/components/echarts-motion.js): the township's bars stand at their height. Anyone
// else sees them grow, an animation timed by the clock: with this test's clock standing still it stays at
// its first frame, where only the legend's swatch has the colour.
test('the home chart: drawn at once for reduced motion, animated otherwise', { timeout: 120000 }, async () => {
  const still = await newPage(browser, DESKTOP)
  await login(still, 'shazhouba_sec')
  const drawn = await villageBarPixels(still)
  await still.context().close()
  const moving = await newPage(browser, DESKTOP)
  await moving.emulateMedia({ reducedMotion: 'no-preference' })
  await login(moving, 'shazhouba_sec')
  const first = await villageBarPixels(moving)
  await moving.context().close()
  assert.ok(drawn > 5000, `reduced motion: the bars drawn (${drawn} pixels of their colour)`)
  assert.ok(first < 1000, `no preference: the animation's first frame (${first} pixels)`)
})
