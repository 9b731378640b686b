// 驻村工作 in the browser: cadre1 records this month's 防返贫监测研判会议 from the phone (once a month:
// a meeting the demo already held this month is withdrawn first, through the API), then a theme
// party day; the township secretary sees the month held and the months missing, village by village.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { randomInt, thisMonth } from '../clock.mjs'

watchdog(200000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const VILLAGE = '360781104200'
const month = thisMonth()

test('a monthly monitoring meeting and a theme party day recorded on the phone; the township sees the months', { timeout: 150000 }, async () => {
  const cadre = await newPage(browser, PHONE)
  await login(cadre, 'cadre1')
  const held = await (await cadre.request.get(`${BASE}/api/v1/meetings?village=${VILLAGE}&from=${month}-01`)).json()
  const csrf = await cadre.evaluate(() => sessionStorage.getItem('zc_csrf'))
  for (const m of held.items) {
    const r = await cadre.request.post(`${BASE}/api/v1/meetings/${m.id}/withdraw`, { headers: { 'X-CSRF-Token': csrf, 'content-type': 'application/json' }, data: JSON.stringify({ reason: '重新记录' }) })
    assert.equal(r.status(), 200)
  }
  await cadre.goto(BASE + '/#/village-work?tab=meetings')
  await settle(cadre)
  await cadre.locator('[data-test="meeting-create"]').click()
  const dialog = cadre.locator('[data-test="meeting-dialog"]')
  await dialog.locator('[data-test="meeting-team"] .el-checkbox').first().waitFor()
  await dialog.locator('[data-test="meeting-team"] .el-checkbox').first().click()
  const decisions = `逐户研判监测户 ${randomInt(1000)} 号：收入稳定，继续跟踪`
  await dialog.locator('[data-test="meeting-decisions"] textarea, textarea[data-test="meeting-decisions"]').first().fill(decisions)
  await cadre.locator('[data-test="meeting-save"]').click()
  await cadre.locator('[data-test="meetings-table"] [data-test="card"]').filter({ hasText: decisions.slice(0, 12) }).first().waitFor()
  assert.deepEqual(await errorsShown(cadre), [])
  // once a month: a second one is refused with the reason shown
  await cadre.locator('[data-test="meeting-create"]').click()
  await dialog.locator('[data-test="meeting-team"] .el-checkbox').first().click()
  await dialog.locator('[data-test="meeting-decisions"] textarea, textarea[data-test="meeting-decisions"]').first().fill('再开一次')
  await cadre.locator('[data-test="meeting-save"]').click()
  assert.match(await cadre.locator('.el-message--error').first().innerText(), /每月一次/)
  await dialog.locator('.el-dialog__headerbtn').click()

  // a theme party day (5.3), under the duty 建强村党组织 (5.1)
  await cadre.goto(BASE + '/#/village-work?tab=activities')
  await cadre.reload()
  await settle(cadre)
  await cadre.locator('[data-test="activity-create"]').click()
  const title = `主题党日 ${randomInt(10000)}`
  await cadre.locator('[data-test="activity-title"] input, input[data-test="activity-title"]').first().fill(title)
  await cadre.locator('[data-test="activity-save"]').click()
  const card = cadre.locator('[data-test="activities-table"] [data-test="card"]').filter({ hasText: title }).first()
  await card.waitFor()
  assert.match(await card.innerText(), /建强村党组织/)
  await cadre.context().close()

  const sec = await newPage(browser, DESKTOP)
  await login(sec, 'shazhouba_sec')
  await sec.goto(BASE + '/#/village-work?tab=missing')
  await settle(sec)
  await sec.locator('[data-test="missing-only"]').click() // every village, not only those with gaps
  await settle(sec)
  const row = sec.locator('[data-test="missing-grid"] tbody tr').filter({ hasText: '沙洲坝村' }).first()
  await row.waitFor()
  const cells = await row.locator('td').allInnerTexts()
  assert.equal(cells.at(-2).trim(), '✔', 'this month held')
  assert.ok(cells.slice(1, -2).some(c => c.trim() === '缺'), 'the month the demo skipped')
  assert.deepEqual(await errorsShown(sec), [])
  await sec.context().close()
})
