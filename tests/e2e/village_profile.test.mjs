// 村情档案 (5.8, issue 11) in the browser: cadre1 opens the village page's profile tab, sees the demo's
// profile and its history, records a change of the collective income; the new value shows, the old
// one stays in the history.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, launch, newPage, login, settle, shot, closeAll, watchdog } from './helpers.mjs'

watchdog(180000)
const VILLAGE = '360781104200' // 沙洲坝村: cadre1's
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

test('the team records a dated change of the village profile; the previous value stays in the history', { timeout: 120000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'cadre1')
  await page.goto(`${BASE}/#/villages/${VILLAGE}?tab=profile`)
  const section = page.locator('[data-test="section-profile"]')
  await section.waitFor()
  await settle(page)
  const table = section.locator('[data-test="profile-table"]')
  await table.getByText('村级集体经济收入').first().waitFor()
  assert.match(await table.innerText(), /短板弱项/)
  const history = section.locator('[data-test="profile-history"]')
  const before = await history.innerText()
  assert.match(before, /上年度村级集体经济收入/)
  await section.locator('[data-test="profile-change"]').click()
  const dlg = page.locator('[data-test="profile-dialog"]')
  await dlg.waitFor()
  const amount = dlg.locator('[data-test="profile-amount"] input')
  await amount.fill('123456')
  await amount.press('Tab')
  await dlg.locator('[data-test="profile-save"]').click()
  await page.locator('.el-message--success').filter({ hasText: '已记录村情变化' }).waitFor()
  await table.getByText(/123,456 元/).first().waitFor()
  const after = await history.innerText()
  assert.match(after, /123,456 元/)
  for (const line of before.split('\n').filter((l) => /元/.test(l))) assert.ok(after.includes(line.trim()), `kept: ${line}`)
  await shot(page, 'village-profile')
})
