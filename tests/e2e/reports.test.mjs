// 工作报告 (2.1): cadre1 drafts the report from the logs of this month on 我的驻村, edits it and sends it
// (or, when this period was sent already, revises it); the township secretary of 沙洲坝镇 finds it
// unread in 工作报告, reads it in the dialog, and the reading is recorded.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { randomInt } from '../clock.mjs'

watchdog(240000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

test('cadre1 generates the draft, edits and submits it; shazhouba_sec reads it', { timeout: 120000 }, async () => {
  const marker = `下步打算：巩固产业帮扶成果（${randomInt(100000)}）`
  const page = await newPage(browser, PHONE)
  await login(page, 'cadre1')
  await page.goto(BASE + '/#/checkin')
  await page.locator('[data-test="checkin-tabs"] .el-tabs__item').filter({ hasText: '工作报告' }).click()
  await page.locator('[data-test="report-make"]').click()
  const text = page.locator('[data-test="report-text"] textarea, textarea[data-test="report-text"]').first()
  await text.waitFor()
  assert.match(await text.inputValue(), /驻村工作报告|第一书记|\S/)
  await text.fill((await text.inputValue()) + '\n' + marker)
  const button = page.locator('[data-test="report-submit"]')
  const revising = /重新提交/.test(await button.innerText())
  await button.click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  const sent = page.locator('[data-test="report-sent"]')
  await sent.waitFor()
  assert.match(await sent.innerText(), /已提交/)
  if (revising) assert.match(await sent.innerText(), /已修改/)
  assert.match(await button.innerText(), /修改后重新提交/)
  assert.deepEqual(await errorsShown(page), [])
  await shot(page, 'report-submitted-phone')
  const mine = await (await page.request.get(`${BASE}/api/v1/reports?page_size=200`)).json()
  const report = mine.items.find(r => r.text.includes(marker))
  assert.ok(report, 'the edited text was sent')
  assert.equal(report.read_by_township, false)
  await page.context().close()

  const sec = await newPage(browser, DESKTOP)
  await login(sec, 'shazhouba_sec')
  await sec.locator('[data-test="menu"] [data-test="menu-reports"]').click()
  await settle(sec)
  const row = sec.locator('[data-test="reports-table"] .el-table__row').filter({ hasText: `${report.from} 至 ${report.to}` })
    .filter({ hasText: report.cadre_name }).first()
  await row.waitFor()
  assert.equal(await row.locator('[data-test="report-unread"]').count(), 1, 'marked unread')
  await row.locator('[data-test="report-open"]').click()
  const dialog = sec.locator('[data-test="report-dialog-text"]')
  await dialog.waitFor()
  await sec.waitForFunction((m) => document.querySelector('[data-test="report-dialog-text"]')?.textContent.includes(m), marker)
  await settle(sec)
  await shot(sec, 'report-read-township')
  assert.deepEqual(await errorsShown(sec), [])
  const after = await (await sec.request.get(`${BASE}/api/v1/reports?cadre=${report.cadre_id}&page_size=200`)).json()
  const read = after.items.find(r => r.id === report.id)
  assert.equal(read.read_by_township, true, 'the township has read it')
  assert.equal(read.read_by_unit, false)
  await sec.context().close()
})
