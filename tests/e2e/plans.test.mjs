// 帮扶计划 (5.9) in the browser with two users: cadre1 (the first secretary of 沙洲坝村) drafts next
// year's plan with the village 两委 and submits it; the leader of the dispatching unit returns it with
// a comment; the cadre edits and resubmits; the unit approves; the cadre records progress.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { thisYear } from '../clock.mjs'

watchdog(240000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const statusOf = (page) => page.locator('[data-test="plan-page"] [data-test="plan-status"]').first().innerText()
async function fillIn(page, test, text) {
  const el = page.locator(`[data-test="${test}"]`).first()
  const tag = await el.evaluate(e => e.tagName)
  const input = tag === 'INPUT' || tag === 'TEXTAREA' ? el : el.locator('input, textarea').first()
  await input.fill(text)
}

test('a plan from draft to approval: submitted, returned with a comment, edited, approved, progress', { timeout: 200000 }, async () => {
  const next = thisYear() + 1
  const cadre = await newPage(browser, DESKTOP)
  await login(cadre, 'cadre1')
  await cadre.goto(BASE + '/#/plans')
  await settle(cadre)
  await cadre.locator('[data-test="plan-create-year"]').click()
  await cadre.locator('.el-select-dropdown__item:visible').filter({ hasText: `${next} 年` }).click()
  await cadre.locator('[data-test="plan-create"]').click()
  await cadre.locator('[data-test="plan-form"]').waitFor()
  await fillIn(cadre, 'plan-goals-input', '发展脐橙产业，壮大村集体经济，巩固脱贫成果')
  await fillIn(cadre, 'plan-with-input', '村党支部书记、村委会主任')
  const items = cadre.locator('[data-test="plan-item-edit"]')
  await items.first().locator('[data-test="item-title"] input, input[data-test="item-title"]').first().fill('脐橙冷库建设')
  await items.first().locator('[data-test="item-target"] input, input[data-test="item-target"]').first().fill('建成 500 吨冷库')
  await cadre.locator('[data-test="plan-save"]').click()
  await cadre.locator('[data-test="plan-submit"]').waitFor()
  assert.match(await statusOf(cadre), /草稿/)
  await cadre.locator('[data-test="plan-submit"]').click()
  await cadre.waitForFunction(() => /待审核/.test(document.querySelector('[data-test="plan-page"] [data-test="plan-status"]')?.textContent || ''))
  const planUrl = cadre.url().replace(/\?.*$/, '')
  const planId = planUrl.match(/plans\/(\d+)/)[1]
  const plan = await (await cadre.request.get(`${BASE}/api/v1/plans/${planId}`)).json()
  assert.equal(plan.year, next)

  // the unit's leader finds it among the plans to review and returns it
  const unit = await newPage(browser, PHONE)
  await login(unit, 'unit_leader1')
  const me = await (await unit.request.get(`${BASE}/api/v1/session`)).json()
  assert.equal(me.user.unit_id, plan.unit_id, 'unit_leader1 leads the unit of the first secretary of 沙洲坝村')
  await unit.goto(BASE + '/#/plans')
  await settle(unit)
  const card = unit.locator('[data-test="plans-table"] [data-test="card"]').filter({ hasText: `${next}` }).filter({ hasText: '沙洲坝' }).first()
  await card.locator('[data-test="plan-open"]').click()
  await unit.locator('[data-test="plan-review"]').waitFor()
  await fillIn(unit, 'plan-review-comment', '请补充冷库建设的资金来源')
  await unit.locator('[data-test="plan-return"]').click()
  await unit.waitForFunction(() => /已退回/.test(document.querySelector('[data-test="plan-page"] [data-test="plan-status"]')?.textContent || ''))

  // the cadre sees the comment, edits and resubmits
  await cadre.reload()
  await settle(cadre)
  assert.match(await cadre.locator('[data-test="plan-comment"]').innerText(), /资金来源/)
  await cadre.locator('[data-test="plan-edit"]').click()
  await fillIn(cadre, 'plan-goals-input', '发展脐橙产业，冷库建设资金由派出单位帮扶资金和村集体经济共同解决')
  await cadre.locator('[data-test="plan-save"]').click()
  await cadre.locator('[data-test="plan-submit"]').waitFor()
  await cadre.locator('[data-test="plan-submit"]').click()
  await cadre.waitForFunction(() => /待审核/.test(document.querySelector('[data-test="plan-page"] [data-test="plan-status"]')?.textContent || ''))

  // approved by the unit
  await unit.reload()
  await settle(unit)
  await unit.locator('[data-test="plan-approve"]').click()
  await unit.waitForFunction(() => /已批准/.test(document.querySelector('[data-test="plan-page"] [data-test="plan-status"]')?.textContent || ''))
  assert.deepEqual(await errorsShown(unit), [])

  // progress against the item
  await cadre.reload()
  await settle(cadre)
  await cadre.locator('[data-test="item-progress"]').first().click()
  await fillIn(cadre, 'progress-note', '完成选址和设计')
  await cadre.locator('[data-test="progress-dialog"] .el-slider__input input, [data-test="progress-dialog"] .el-input-number input').first().fill('30')
  await cadre.locator('[data-test="progress-save"]').click()
  await cadre.locator('[data-test="plan-item"]').filter({ hasText: '完成选址和设计' }).waitFor()
  assert.deepEqual(await errorsShown(cadre), [])
  const done = await (await cadre.request.get(`${BASE}/api/v1/plans/${planId}`)).json()
  assert.equal(done.status, 'approved')
  assert.deepEqual(done.events.map(e => e.action), ['create', 'edit', 'submit', 'return', 'edit', 'submit', 'approve'])
  assert.equal(done.item_list[0].percent, 30)
  for (const p of [cadre, unit]) await p.context().close()
})
