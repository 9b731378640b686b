// 补助核算 (3.4b) in the browser. The unit's HR (unit_hr1) opens a month's sheet from 补助核算, adjusts
// a line with a reason, confirms it, and the amounts stand in the funds ledger; the confirmed sheet
// prints as an A4 发放表 with signature blanks. The county reads the sheet without a button to change
// it. The cadre (cadre1, on a phone) sees their own lines in 我的补助 — the figures of the sheet, and
// nobody else's. Screenshots at 1440 and 390 px wide.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import { BASE, PHONE, SHOTS, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { thisMonth } from '../clock.mjs'

watchdog(300000)
const WIDE = { width: 1440, height: 900 }
const A4 = { width: 794, height: 1123 }
const yuan = (fen) => `${Math.floor(fen / 100).toLocaleString('zh-CN')}.${String(fen % 100).padStart(2, '0')}`
const monthBefore = (n) => {
  const d = new Date(`${thisMonth()}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() - n)
  return d.toISOString().slice(0, 7)
}
const MONTH = monthBefore(2) // over, and without a sheet of the demo unit (the server drafts the last one)
let browser, sheetId
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const getJson = async (page, p) => {
  const r = await page.request.get(BASE + '/api/v1' + p)
  assert.equal(r.status(), 200, await r.text())
  return r.json()
}

test('the unit\'s HR adjusts a line with a reason, confirms the sheet, and the ledger holds it; the 发放表 prints', { timeout: 200000 }, async () => {
  const page = await newPage(browser, WIDE)
  await login(page, 'unit_hr1')
  // the month on request (the server drafts only the month just ended by itself)
  const session = await getJson(page, '/session')
  const made = await page.request.post(BASE + '/api/v1/allowance-sheets', { data: { month: MONTH }, headers: { 'X-CSRF-Token': session.csrf_token } })
  assert.equal(made.status(), 201, await made.text())
  sheetId = (await made.json()).id
  // its 待办: a month over, waiting for confirmation
  const todo = await getJson(page, '/me/todo')
  assert.ok(todo.items.some((i) => i.kind === 'allowance_confirm' && i.route === '/allowances?waiting=1'))

  await page.locator('[data-test="menu"] [data-test="menu-allowances"]').click()
  await settle(page)
  const label = `${MONTH.slice(0, 4)}年${Number(MONTH.slice(5))}月`
  const row = page.locator('[data-test="sheets-table"] .el-table__row').filter({ hasText: label })
  await row.first().waitFor()
  assert.match(await row.first().innerText(), /待确认/)
  await row.first().locator('[data-test="open-sheet"]').click()
  await page.locator('[data-test="lines-table"]').waitFor()
  await settle(page)
  const before = await getJson(page, `/allowance-sheets/${sheetId}`)
  assert.ok(before.lines.length > 0, 'a line per post of the unit')
  assert.match(await page.locator('[data-test="sheet-rule"]').innerText(), /本地规定/)

  // adjust the first line: a reason is required
  const line = before.lines[0]
  await page.locator('[data-test="lines-table"] .el-table__row').first().locator('[data-test="adjust-line"]').click()
  const form = page.locator('[data-test="adjust-form"]')
  await form.waitFor()
  await page.locator('[data-test="adjust-save"]').click()
  await form.getByText('调整金额须写明原因').waitFor()
  const living = line.living_fen + 5000
  await form.locator('[data-test="adjust-living"] input').fill(String(living / 100))
  await form.locator('textarea[data-test="adjust-reason"], [data-test="adjust-reason"] textarea').fill('经乡镇党委核实，补计一天在村')
  await page.locator('[data-test="adjust-save"]').click()
  await page.locator('.el-message--success').first().waitFor()
  await page.locator('[data-test="lines-table"]').getByText('经乡镇党委核实，补计一天在村').waitFor()
  assert.match(await page.locator('[data-test="lines-table"] .el-table__row').first().innerText(), new RegExp(`原 ${yuan(line.living_computed).replace('.', '\\.')}`))

  // confirm
  await page.locator('[data-test="confirm-sheet"]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-test="confirmed-by"]').waitFor()
  assert.match(await page.locator('[data-test="sheet-status"]').first().innerText(), /已确认/)
  const done = await getJson(page, `/allowance-sheets/${sheetId}`)
  assert.equal(done.status, 'confirmed')
  assert.equal(await page.locator('[data-test="sheet-total"]').innerText(), yuan(done.total_fen))
  assert.equal(await page.locator('[data-test="adjust-line"]').count(), 0, 'a confirmed sheet is not changed')
  const first = done.lines.find((l) => l.id === line.id)
  assert.equal(first.living_fen, living)
  const funds = await getJson(page, `/funds?cadre=${first.cadre_id}&kind=living_allowance&page_size=200`)
  assert.ok(funds.items.some((f) => f.id === first.living_entry_id && Math.round(f.amount * 100) === living), 'in the funds ledger')
  assert.deepEqual(await errorsShown(page), [])

  // last month's sheet, confirmed in the demo with one adjustment: the screenshot, then its printed 发放表
  // (every line, the total, signature blanks)
  const last = (await getJson(page, `/allowance-sheets?month=${monthBefore(1)}`)).items[0]
  assert.equal(last.status, 'confirmed')
  await page.goto(`${BASE}/#/allowances/${last.id}`)
  await page.locator('[data-test="confirmed-by"]').waitFor()
  await settle(page)
  await shot(page, 'allowance-sheet-desktop')
  const after = await getJson(page, `/allowance-sheets/${last.id}`)
  await page.locator('[data-test="print-sheet"]').click()
  await page.locator('[data-test="print-allowance"]').waitFor()
  await page.setViewportSize(A4)
  await settle(page)
  const text = await page.locator('[data-test="print-sheet"]').innerText()
  for (const l of after.lines) assert.ok(text.includes(l.name), `the 发放表 lists ${l.name}`)
  assert.equal(await page.locator('[data-test="print-total"]').innerText(), yuan(after.total_fen))
  assert.match(text, /领取人签字/)
  assert.match(text, /签字：/)
  assert.match(text, /（盖章）/)
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, 'print-allowance.png'), fullPage: true })
  assert.deepEqual(page.problems, [])
})

test('the county reads the unit\'s sheet and has no button to change it', { timeout: 120000 }, async () => {
  const page = await newPage(browser, WIDE)
  await login(page, 'ruijin_org')
  await page.goto(`${BASE}/#/allowances/${sheetId}`)
  await page.locator('[data-test="lines-table"]').waitFor()
  await settle(page)
  assert.equal(await page.locator('[data-test="adjust-line"]').count(), 0)
  assert.equal(await page.locator('[data-test="confirm-sheet"]').count(), 0)
  assert.equal(await page.locator('[data-test="draft-sheet"]').count(), 0)
  assert.deepEqual(await errorsShown(page), [])
})

test('the cadre sees their own lines on a phone: the sheet\'s figures and nobody else\'s', { timeout: 120000 }, async () => {
  const page = await newPage(browser, PHONE)
  await login(page, 'cadre1')
  const me = await getJson(page, '/session')
  const mine = await getJson(page, '/me/allowances')
  assert.ok(mine.items.length >= 2, 'last month confirmed and this month drafted, at least')
  assert.ok(mine.items.every((l) => l.cadre_id === me.user.cadre_id))
  await page.goto(`${BASE}/#/allowances`)
  await page.locator('[data-test="my-allowances"]').waitFor()
  await settle(page)
  const cards = page.locator('[data-test="my-allowance"]')
  assert.equal(await cards.count(), mine.items.length)
  for (const [i, l] of mine.items.entries()) {
    const card = cards.nth(i)
    assert.equal(await card.locator('[data-test="my-days"]').innerText(), String(l.days_in_village))
    assert.equal(await card.locator('[data-test="my-total"]').innerText(), yuan(l.total_fen))
    assert.match(await card.locator('[data-test="my-allowance-status"]').innerText(), l.status === 'confirmed' ? /已确认/ : /核对中/)
  }
  const text = await page.locator('[data-test="my-allowances"]').innerText()
  const colleagues = (await getJson(page, `/allowance-sheets`).catch(() => null))
  assert.equal(colleagues, null, 'the sheets themselves are not the cadre\'s to read')
  assert.ok(!/派出单位：/.test(text))
  assert.deepEqual(await errorsShown(page), [])
  assert.deepEqual(page.problems, [])
  await shot(page, 'allowance-cadre-phone')
})
