// 上报材料 (issue #12 part 3): 象湖镇's secretary finds last month's 月报 due in 待办, generates the
// draft from the record, adds a sentence and sends it to 瑞金市 (on a phone); 瑞金市's organization
// department finds it in 待办 (待签收), sees 象湖镇 leave the 未报 list, opens it and receives it
// (at 1440 wide); the printed A4 form carries the figures, the texts and the signature blanks.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog(300000)
const WIDE = { width: 1440, height: 900 }
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

test('a township sends its 月报 from a phone; the county receives it', { timeout: 240000 }, async () => {
  const sec = await newPage(browser, PHONE)
  await login(sec, 'xianghu_sec')
  await sec.goto(BASE + '/#/todo')
  await sec.locator('[data-test="todo-upward_due"]').first().click()
  await settle(sec)
  await sec.locator('[data-test="upward-create"]').click()
  await sec.locator('[data-test="upward-figures"]').waitFor()
  const work = sec.locator('textarea[data-test="upward-work"], [data-test="upward-work"] textarea').first()
  assert.match(await work.inputValue(), /象湖镇驻村帮扶工作情况如下/)
  assert.match(await sec.locator('[data-test="upward-figures"]').innerText(), /在村天数达标/)
  await work.fill((await work.inputValue()) + '\n本月组织驻村干部集中学习一次。')
  await sec.locator('[data-test="upward-submit"]').click()
  await sec.waitForFunction(() => document.querySelector('[data-test="upward-status"]')?.textContent.includes('已报送'))
  assert.equal(await sec.locator('[data-test="upward-submit"]').count(), 0, 'sent: no more editing')
  await shot(sec, 'upward-report-phone-390')
  assert.deepEqual(await errorsShown(sec), [])
  const id = sec.url().match(/upward-reports\/(\d+)/)[1]

  const org = await newPage(browser, WIDE)
  await login(org, 'ruijin_org')
  await org.locator('[data-test="todo-upward_receive"]').first().click()
  await settle(org)
  await org.locator('[data-test="upward-inbox"]').waitFor()
  assert.ok(!(await org.locator('[data-test="upward-unreported"]').innerText()).includes('象湖镇'), '象湖镇 has reported')
  assert.match(await org.locator('[data-test="upward-unreported"]').innerText(), /未报（\d+）/)
  await shot(org, 'upward-reports-county-1440')
  await org.locator('[data-test="upward-open-360781100"]').click()
  await org.locator('[data-test="upward-receive"]').click()
  await org.waitForFunction(() => document.querySelector('[data-test="upward-status"]')?.textContent.includes('已签收'))
  assert.match(await org.locator('textarea[data-test="upward-work"], [data-test="upward-work"] textarea').first().inputValue(), /集中学习一次/)
  assert.deepEqual(await errorsShown(org), [])

  await org.goto(`${BASE}/#/print/upward-report/${id}`)
  await org.locator('[data-test="print-upward"]').waitFor()
  const sheet = await org.locator('[data-test="print-sheet"]').innerText()
  assert.match(sheet, /象湖镇2026年5月驻村帮扶工作月报/)
  assert.match(sheet, /存在问题/)
  assert.match(sheet, /签字/)
  await shot(org, 'upward-report-print')
  assert.deepEqual(await errorsShown(org), [])
})
