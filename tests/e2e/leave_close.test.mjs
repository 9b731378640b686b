// Leave in the browser, the two steps the daily test does not click (notice 2.1, 2.4): the township
// refuses a leave (a comment is required, and the cadre reads it), and a cadre back in the village
// closes an approved leave (销假) on the phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { PHONE, DESKTOP, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { api, as, sqlite, DB } from '../api/lib.mjs'
import { today } from '../clock.mjs'

watchdog(240000)
let browser
let cadre, dep
before(async () => {
  browser = await launch()
  cadre = await as('cadre1')
  dep = await as('shazhouba_dep')
})
after(async () => { await closeAll(browser) })

function day(offset) {
  return today(offset)
}

// Two past days on which cadre1 has no check-in inside the fence and no leave: a leave over days
// spent in the village is refused (409 checked_in), so the test picks days the demo left free, or
// clears a window of the demo's check-ins in this run's own database.
function freePastDays() {
  const c = cadre.user.cadre_id
  const busy = new Set(sqlite(DB, `SELECT date FROM checkin WHERE cadre_id = ${c} AND in_fence = 1 AND date >= '${day(-29)}'`).stdout
    .split('\n'))
  const leaves = sqlite(DB, `SELECT start_date || ' ' || end_date FROM leave WHERE cadre_id = ${c}
    AND status IN ('pending','approved','closed')`).stdout.split('\n').filter(Boolean).map(s => s.split(' '))
  const free = (d) => !busy.has(d) && !leaves.some(([a, b]) => a <= d && d <= b)
  for (let s = -20; s <= -3; s++) if (free(day(s)) && free(day(s + 1))) return [day(s), day(s + 1)]
  const [a, b] = [day(-14), day(-13)]
  sqlite(DB, `DELETE FROM checkin WHERE cadre_id = ${c} AND date BETWEEN '${a}' AND '${b}'`)
  return [a, b]
}

test('the township refuses a leave in the inbox: a comment is required; the cadre reads it', { timeout: 120000 }, async () => {
  // daily.test asks cadre1's 2-day leave from a day 20 + 3k ahead: days 3k + 1 ahead are never in it
  const d = day(70 + Math.floor(Math.random() * 10) * 3)
  const asked = await api('POST', '/api/v1/leaves', { session: cadre, body: { type: 'personal', start_date: d, end_date: d, reason: '孩子开家长会' } })
  assert.equal(asked.status, 201, asked.text)

  let page = await newPage(browser, DESKTOP)
  await login(page, 'shazhouba_dep')
  await page.locator('[data-test="menu"] [data-test="menu-leaves"]').click()
  const row = page.locator('[data-test="leave-inbox"] .el-table__body .el-table__row').filter({ hasText: d })
  await row.first().waitFor()
  await settle(page)
  await row.first().locator('[data-test="leave-refuse"]').click()
  const dialog = page.locator('[data-test="leave-refuse-dialog"]')
  await dialog.waitFor()
  await dialog.locator('[data-test="leave-refuse-confirm"]').click()
  await page.locator('[data-test="leave-refuse-error"]').waitFor()
  assert.match(await page.locator('[data-test="leave-refuse-error"]').innerText(), /意见/)
  assert.equal((await api('GET', `/api/v1/leaves/${asked.body.id}`, { session: dep })).body.status, 'pending', 'nothing changed yet')
  await dialog.locator('[data-test="leave-refuse-comment"] textarea, textarea[data-test="leave-refuse-comment"]').first()
    .fill('本周有防汛值班，请改期')
  await dialog.locator('[data-test="leave-refuse-confirm"]').click()
  await row.first().waitFor({ state: 'detached' })
  assert.deepEqual(await errorsShown(page), [])
  const after = await api('GET', `/api/v1/leaves/${asked.body.id}`, { session: dep })
  assert.equal(after.body.status, 'refused')
  assert.equal(after.body.comment, '本周有防汛值班，请改期')
  await page.context().close()

  page = await newPage(browser, PHONE)
  await login(page, 'cadre1')
  await page.goto(page.url().replace(/#.*$/, '#/leaves'))
  const mine = page.locator('[data-test="my-leave"]').filter({ hasText: d.slice(5) })
  await mine.first().waitFor()
  assert.equal(await mine.first().getAttribute('data-status'), 'refused')
  assert.match(await mine.first().innerText(), /本周有防汛值班，请改期/)
  await page.context().close()
})

test('a cadre back in the village closes an approved leave (销假) on the phone', { timeout: 120000 }, async () => {
  const [a, b] = freePastDays()
  const asked = await api('POST', '/api/v1/leaves', { session: cadre, body: { type: 'personal', start_date: a, end_date: b, reason: '回家处理房屋修缮' } })
  assert.equal(asked.status, 201, asked.text)
  const ok = await api('POST', `/api/v1/leaves/${asked.body.id}/decision`, { session: dep, body: { decision: 'approve' } })
  assert.equal(ok.status, 200, ok.text)

  const page = await newPage(browser, PHONE)
  await login(page, 'cadre1')
  await settle(page) // the home page has loaded what it asks for before we leave it
  await page.goto(page.url().replace(/#.*$/, '#/leaves'))
  const mine = page.locator('[data-test="my-leave"]').filter({ hasText: `${a.slice(5)} 至 ${b.slice(5)}` })
  await mine.first().waitFor()
  await settle(page)
  assert.equal(await mine.first().getAttribute('data-status'), 'approved')
  // on a busy machine the list may be drawn again under the first click: the box must open within a
  // few tries, each waiting long enough for a slow page
  const box = mine.first().locator('[data-test="leave-close-box"]')
  for (let i = 0; i < 3 && !(await box.isVisible()); i++) {
    await mine.first().locator('[data-test="leave-close"]').click()
    await box.waitFor({ timeout: 15000 }).catch(() => {})
  }
  await box.waitFor()
  await mine.first().locator('[data-test="leave-close-confirm"]').click()
  await page.locator('.el-message--success').first().waitFor()
  const closed = page.locator('[data-test="my-leave"][data-status="closed"]').filter({ hasText: `${a.slice(5)} 至 ${b.slice(5)}` })
  await closed.first().waitFor()
  assert.match(await closed.first().innerText(), new RegExp(`${b} 返岗销假`))
  assert.deepEqual(await errorsShown(page), [])
  const after = await api('GET', `/api/v1/leaves/${asked.body.id}`, { session: cadre })
  assert.equal(after.body.status, 'closed')
  assert.equal(after.body.returned_on, b)
  await page.context().close()
})
