// 履职监督 in the browser: the township secretary of 沙洲坝镇 records this week's dispatch (2.3b) on
// 督导记录 — the on-duty status is shown before saving, not typed — and the board's cell for the week
// turns from 未到期 to 按时完成, with the record behind it; a past month's team-leader meeting (2.3a),
// reopened by the county, turns its month from 未完成 to done. The county official (ruijin_org) sees
// which townships missed a weekly dispatch, each with its clause and records, on the board and on the
// home page. The calendar feed (ICS) downloads and parses.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { today as pinnedToday } from '../clock.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const TOWN = '360781104'
const cst = () => pinnedToday()
function mondayOf(iso) {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
  return d.toISOString().slice(0, 10)
}
async function csrfOf(page) {
  return (await (await page.request.get(`${BASE}/api/v1/session`)).json()).csrf_token
}
async function cellStatus(page, obligation, from, to = from) {
  const r = await (await page.request.get(`${BASE}/api/v1/compliance/cells?obligation=${obligation}&from=${from}&to=${to}&page_size=200`)).json()
  return r.items.find(c => c.party_id === TOWN)
}

test('a township enters a dispatch and the week\'s cell turns to met; a reopened month\'s meeting fills a missing cell', { timeout: 200000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'shazhouba_sec')
  const today = cst()
  const monday = mondayOf(today)
  const csrf = await csrfOf(page)
  // this week without a dispatch yet (the demo may have made one: withdraw it)
  const mine = await (await page.request.get(`${BASE}/api/v1/supervision?kind=township_dispatch&from=${monday}&status=valid&page_size=200`)).json()
  for (const r of mine.items) {
    const w = await page.request.post(`${BASE}/api/v1/supervision/${r.id}/withdraw`, { headers: { 'X-CSRF-Token': csrf }, data: { reason: '浏览器测试前清理' } })
    assert.equal(w.status(), 200)
  }
  await page.goto(`${BASE}/#/compliance?obligation=township_dispatch&from=${monday}&to=${today}`)
  await settle(page)
  await page.locator('[data-test="cells-status"]').click()
  await page.locator('.el-select-dropdown__item').filter({ hasText: '未到期' }).click()
  await settle(page)
  const row = page.locator('[data-test="cells-table"] .el-table__row').filter({ hasText: monday }).first()
  await row.waitFor()
  assert.match(await row.innerText(), /2\.3b/)
  assert.match(await row.innerText(), /未到期/)

  await page.locator('[data-test="menu"] [data-test="menu-supervision"]').click()
  await settle(page)
  await page.locator('[data-test="kind-township_dispatch"]').click()
  const snap = page.locator('[data-test="supervision-snapshot"]')
  await snap.waitFor()
  assert.match(await snap.innerText(), /在村 \d+ 人/)
  await shot(page, 'compliance-dispatch-form')
  await page.locator('[data-test="supervision-save"]').click()
  await page.locator('.el-message--success').filter({ hasText: '2.3b' }).waitFor()
  assert.equal((await cellStatus(page, 'township_dispatch', today)).status, 'met')

  await page.locator('[data-test="menu"] [data-test="menu-compliance"]').click()
  await settle(page)
  await page.goto(`${BASE}/#/compliance?obligation=township_dispatch&from=${monday}&to=${today}&status=met`)
  await page.reload()
  await settle(page)
  await page.locator('[data-test="cells-status"]').click()
  await page.locator('.el-select-dropdown__item').filter({ hasText: '按时完成' }).click()
  await settle(page)
  const met = page.locator('[data-test="cells-table"] .el-table__row').filter({ hasText: monday }).first()
  await met.waitFor()
  assert.match(await met.innerText(), /按时完成/)
  await met.locator('[data-test="cell-evidence"]').click()
  const item = page.locator('[data-test="evidence-item"]').filter({ hasText: '调度' }).last()
  await item.waitFor()
  assert.match(await item.innerText(), new RegExp(today))
  await shot(page, 'compliance-dispatch-met')
  assert.deepEqual(await errorsShown(page), [])

  // a past month: the county reopens it, the township withdraws its meeting (now missing) and enters one again
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() - 1)
  const month = d.toISOString().slice(0, 7)
  const day = `${month}-15`
  const county = await newPage(browser, DESKTOP)
  await login(county, 'ruijin_org')
  const cc = await csrfOf(county)
  const until = pinnedToday(3)
  const u = await county.request.post(`${BASE}/api/v1/period-unlocks`, { headers: { 'X-CSRF-Token': cc }, data: { region_code: TOWN, month, until, reason: '浏览器测试：补录上月会议' } })
  assert.equal(u.status(), 201, await u.text())
  const meetings = await (await page.request.get(`${BASE}/api/v1/supervision?kind=township_meeting&from=${month}-01&to=${month}-31&status=valid&page_size=200`)).json()
  for (const r of meetings.items) {
    const w = await page.request.post(`${BASE}/api/v1/supervision/${r.id}/withdraw`, { headers: { 'X-CSRF-Token': csrf }, data: { reason: '浏览器测试前清理' } })
    assert.equal(w.status(), 200, await w.text())
  }
  assert.equal((await cellStatus(page, 'township_meeting', day)).status, 'missing')
  await page.locator('.el-dialog__headerbtn').click()
  await page.locator('[data-test="menu"] [data-test="menu-supervision"]').click()
  await settle(page)
  await page.locator('[data-test="kind-township_meeting"]').click()
  const date = page.locator('[data-test="supervision-date"] input, input[data-test="supervision-date"]').first()
  await date.fill(day)
  await date.press('Enter')
  await page.locator('[data-test="supervision-title"] input, input[data-test="supervision-title"]').first().fill('上月驻村工作队长会议（补录）')
  await page.locator('[data-test="supervision-attendees"]').click()
  await page.locator('.el-select-dropdown__item:visible').first().click()
  await page.keyboard.press('Escape')
  await page.locator('[data-test="supervision-minutes"] textarea, textarea[data-test="supervision-minutes"]').first().fill('通报在岗情况，部署防返贫监测。')
  await page.locator('[data-test="supervision-save"]').click()
  await page.locator('.el-message--success').filter({ hasText: '2.3a' }).waitFor()
  const after = await cellStatus(page, 'township_meeting', day)
  assert.ok(['met', 'met_late'].includes(after.status), after.status)
  await page.goto(`${BASE}/#/compliance?obligation=township_meeting&from=${month}-01&to=${month}-28`)
  await page.reload()
  await settle(page)
  await page.locator('[data-test="cells-status"]').click()
  await page.locator('.el-select-dropdown__item').filter({ hasText: after.status === 'met' ? '按时完成' : '逾期补办' }).click()
  await settle(page)
  await page.locator('[data-test="cells-table"] .el-table__row').filter({ hasText: `${month}-01` }).first().waitFor()
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
  await county.context().close()
})

test('the county sees which townships missed a weekly dispatch, with clause and records; the ICS feed parses', { timeout: 120000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'ruijin_org')
  const card = page.locator('[data-test="obligation-below"]')
  await card.waitFor()
  assert.match(await card.innerText(), /下级未完成/)
  await page.locator('[data-test="menu"] [data-test="menu-compliance"]').click()
  await settle(page)
  await page.locator('[data-test="compliance-trail"]').filter({ hasText: '瑞金市' }).waitFor()
  await page.locator('[data-test="compliance-heatmap"] canvas').first().waitFor()
  await page.locator('[data-test="compliance-trend"] canvas').first().waitFor()
  const townRow = page.locator(`[data-test="drill-${TOWN}"]`)
  await townRow.waitFor()
  // 完成率 is green only at 100 %: every duty of the notice is due in full (no 80 % threshold of our own)
  const rates = page.locator('[data-test^="rate-"]')
  for (let i = 0; i < await rates.count(); i++) {
    const r = rates.nth(i)
    const text = (await r.innerText()).trim()
    if (text === '—') continue
    assert.equal(await r.getAttribute('class'), parseFloat(text) >= 100 ? 'rate-ok' : 'rate-bad', `完成率 ${text}`)
  }
  await shot(page, 'compliance-county')
  // the missing weekly dispatches (2.3b) of the county's townships
  await page.locator('[data-test="compliance-obligation"]').click()
  await page.locator('.el-select-dropdown__item').filter({ hasText: '2.3b' }).click()
  await settle(page)
  const rows = page.locator('[data-test="cells-table"] .el-table__row')
  await rows.first().waitFor()
  const texts = await rows.allInnerTexts()
  assert.ok(texts.length > 0)
  for (const t of texts) {
    assert.match(t, /2\.3b/)
    assert.match(t, /未完成/)
    assert.match(t, /镇党委|乡党委/)
  }
  await rows.first().locator('[data-test="cell-evidence"]').click()
  await page.locator('[data-test="evidence-dialog"]').getByText('乡镇党委调度驻村干部在岗履职情况').first().waitFor()
  await page.locator('.el-dialog__headerbtn').click()
  // drill down: the township, then a unit, then its teams
  await townRow.click()
  await settle(page)
  const unit = page.locator('[data-test^="drill-"]').first()
  await unit.waitFor()
  await page.locator('[data-test="compliance-trail"]').filter({ hasText: '沙洲坝镇' }).waitFor()
  const xlsx = await page.request.get(`${BASE}/api/v1/compliance/cells?format=xlsx&status=missing`)
  assert.equal(xlsx.status(), 200)
  assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK')
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()

  // the calendar: subscribe on the phone's home page, fetch the address and parse it
  const phone = await newPage(browser, PHONE)
  await login(phone, 'shazhouba_sec')
  await phone.goto(BASE + '/#/')
  await phone.locator('[data-test="ics-subscribe"]').click()
  const code = phone.locator('.el-message-box code')
  await code.waitFor()
  const url = (await code.innerText()).trim()
  assert.match(url, /\/api\/v1\/ics\/[0-9a-f]{64}\.ics$/)
  await shot(phone, 'compliance-ics-phone')
  const res = await phone.request.get(url, { headers: { cookie: '' } })
  assert.equal(res.status(), 200)
  assert.match(res.headers()['content-type'], /^text\/calendar/)
  const text = await res.text()
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'))
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean)
  const events = lines.filter(l => l === 'BEGIN:VEVENT').length
  assert.ok(events > 0 && events === lines.filter(l => l === 'END:VEVENT').length)
  assert.ok(lines.some(l => /^SUMMARY:【2\.3b】/.test(l)))
  await phone.context().close()
})
