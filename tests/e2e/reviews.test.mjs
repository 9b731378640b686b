// 批阅 (2.1, 2.4): the township party secretary of 沙洲坝镇 finds cadre1's report waiting in 待办,
// returns it with a reason; cadre1 finds it in their 待办 on the phone, reads the reason, revises
// the report and sends it again (the returned text kept as a version); the secretary's 月度批阅
// shows cadre1 returned, with the reason.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { randomInt } from '../clock.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

test('the township returns a report with a reason; the cadre revises and resubmits it', { timeout: 240000 }, async () => {
  const reason = `请补充本月走访监测户发现的问题和帮扶措施（${randomInt(100000)}）`
  const cadre = await newPage(browser, PHONE)
  await login(cadre, 'cadre1')
  const mine = await (await cadre.request.get(`${BASE}/api/v1/reports?review=waiting&page_size=200`)).json()
  const report = mine.items.find(r => r.to < '2026-06-01') || mine.items[0]
  assert.ok(report, 'cadre1 has a report waiting for the township (demo)')

  // the township: 待办 → 工作报告待批阅 → the report → 退回修改 with the reason
  const sec = await newPage(browser, DESKTOP)
  await login(sec, 'shazhouba_sec')
  await sec.locator('[data-test="todo-report_review"]').click()
  await settle(sec)
  const row = sec.locator('[data-test="reports-table"] .el-table__row').filter({ hasText: `${report.from} 至 ${report.to}` })
    .filter({ hasText: report.cadre_name }).first()
  await row.waitFor()
  await row.locator('[data-test="report-open"]').click()
  await sec.locator('[data-test="review-panel"]').waitFor()
  await sec.locator('[data-test="review-return"]').click()
  assert.equal(await sec.locator('.el-message--warning').count() > 0, true, 'a return without a reason is stopped')
  await sec.locator('textarea[data-test="review-note"], [data-test="review-note"] textarea').first().fill(reason)
  await sec.locator('[data-test="review-return"]').click()
  await sec.waitForFunction(() => document.querySelector('[data-test="review-state"]')?.textContent.includes('已退回'))
  assert.match(await sec.locator('[data-test="review-notes"]').innerText(), new RegExp(reason.replace(/[()（）]/g, '.')))
  assert.equal(await sec.locator('[data-test="review-accept"]').count(), 0, 'returned: the cadre\'s turn, no accept')
  await shot(sec, 'review-returned-township')
  assert.deepEqual(await errorsShown(sec), [])

  // the cadre: 待办 → 工作报告被退回 → the reason → revise → 重新提交
  await cadre.goto(BASE + '/#/todo')
  await cadre.locator('[data-test="todo-report_returned"]').click()
  await settle(cadre)
  const card = cadre.locator('[data-test="reports-table"] [data-test="card"]').filter({ hasText: `${report.from} 至 ${report.to}` }).first()
  await card.waitFor()
  await card.locator('[data-test="report-open"]').click()
  await cadre.locator('[data-test="review-revise"]').waitFor()
  assert.ok((await cadre.locator('[data-test="review-notes"]').innerText()).includes(reason), 'the cadre reads the reason')
  const text = cadre.locator('textarea[data-test="review-revised-text"], [data-test="review-revised-text"] textarea').first()
  const before = await text.inputValue()
  await text.fill(before + '\n补充：走访监测户 5 户，1 户因病收入下降，已协调临时救助。')
  await cadre.locator('[data-test="review-resubmit"]').click()
  await cadre.waitForFunction(() => document.querySelector('[data-test="review-state"]')?.textContent.includes('已重新提交'))
  await cadre.locator('[data-test="review-versions"]').waitFor()
  await shot(cadre, 'review-resubmitted-phone')
  assert.deepEqual(await errorsShown(cadre), [])
  const after = await (await cadre.request.get(`${BASE}/api/v1/reports/${report.id}`)).json()
  assert.equal(after.review_state, 'resubmitted')
  assert.equal(after.versions.at(-1).text, before, 'the returned text is kept')
  assert.ok(after.text.includes('已协调临时救助'))
  assert.deepEqual(after.notes.slice(-2).map(n => n.action), ['return', 'resubmit'])

  // the township's month: cadre1 returned, with the reason
  await sec.locator('[data-test="report-dialog"] .el-dialog__headerbtn').click()
  await sec.locator('[data-test="reports-tabs"] .el-tabs__item').filter({ hasText: '月度批阅' }).click()
  const line = sec.locator('[data-test="review-month-table"] .el-table__row').filter({ hasText: report.cadre_name }).first()
  await line.waitFor()
  assert.match(await line.innerText(), /退回 \d+/)
  assert.ok((await line.innerText()).includes(reason))
  const totals = await sec.locator('[data-test="review-month-totals"]').innerText()
  assert.match(totals, /退回次数/)
  await shot(sec, 'review-month-township')
  assert.deepEqual(await errorsShown(sec), [])
})
