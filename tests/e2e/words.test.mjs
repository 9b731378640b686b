// Issue 14 in the browser: the rules and names as officials read them.
// - a cadre opens 制度依据 from the menu and reads a sentence of the notice and a local rule in words;
//   政策参数 (the raw file) is not in their menu;
// - a clause number is a small link whose tooltip is the notice's sentence, and a click opens
//   制度依据 at that clause;
// - the audit log reads in words (谁、何时、做了什么、对象); the codes only in 技术详情;
// - screenshots of the changed pages at 1440×900 and 390×844 (tests/e2e/shots/).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog(300000)
const WIDE = { width: 1440, height: 900 }
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

test('a cadre opens 制度依据 from the menu and reads the notice in its own words', { timeout: 90000 }, async () => {
  const page = await newPage(browser, WIDE)
  await login(page, 'cadre1')
  const menu = page.locator('[data-test="menu"]').first()
  await menu.waitFor({ state: 'visible' })
  assert.equal(await menu.locator('[data-test="menu-policy"]').count(), 0, 'no raw policy for the cadre')
  await menu.locator('[data-test="menu-basis"]').click()
  await page.locator('[data-test="basis-page"]').waitFor()
  const handover = page.locator('[data-test="basis-clause-1.6"]')
  await handover.waitFor()
  assert.match(await handover.innerText(), /通知原文：“严格落实 15 日交接过渡期要求”/)
  const presence = page.locator('[data-test="basis-clause-2.1"]')
  assert.match(await presence.innerText(), /驻村干部每月在村不少于 20 天\s*来源：本地参数（通知未作规定）/)
  assert.doesNotMatch(await page.locator('[data-test="basis-page"]').innerText(), /min_days|term_years|SHA-256/)
  await page.locator('input[data-test="basis-search"]').fill('请假')
  await page.waitForTimeout(200)
  assert.ok(await page.locator('[data-test="basis-clause-2.4"]').count() === 1, 'the search finds the leave rules')
  assert.equal(await page.locator('[data-test="basis-clause-1.6"]').count(), 0)
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})

test('a clause link shows the notice\'s sentence and opens 制度依据 at that clause', { timeout: 90000 }, async () => {
  const page = await newPage(browser, WIDE)
  await login(page, 'shazhouba_sec')
  await page.goto(`${BASE}/#/discipline`)
  const link = page.locator('[data-test="discipline-page"] [data-test="clause-2.5"]').first()
  await link.waitFor()
  await settle(page)
  await link.hover()
  const tip = page.locator('.clause-tip').filter({ hasText: '县级组织部门、乡村振兴部门要及时向派出单位反馈' })
  await tip.waitFor({ state: 'visible' })
  assert.match(await tip.innerText(), /^违纪反馈派出单位、追责问责：对不遵守驻村工作纪律/)
  await link.click()
  await page.waitForURL(/#\/basis\?clause=2\.5/)
  const clause = page.locator('[data-test="basis-clause-2.5"]')
  await clause.waitFor()
  assert.match(await clause.getAttribute('class'), /\bon\b/, 'the clause is marked')
  await page.context().close()
})

test('the audit log in words: who, when, what, to what; codes and JSON only in 技术详情', { timeout: 90000 }, async () => {
  const page = await newPage(browser, WIDE)
  await login(page, 'auditadmin')
  await page.goto(`${BASE}/#/audit`)
  const table = page.locator('[data-test="audit-table"]')
  await table.locator('.el-table__row').first().waitFor()
  await settle(page)
  const text = await table.innerText()
  assert.match(text, /时间（北京时间）[\s\S]*操作人[\s\S]*做了什么[\s\S]*对象/)
  assert.match(text, /登录/)
  // who: 姓名（角色） — which accounts' rows are on the first page depends on what the suite did before
  assert.match(text, /[\u4e00-\u9fff]+（(系统管理员|安全管理员|审计管理员|市委组织部|县（市、区）委组织部|市乡村振兴局|县（市、区）乡村振兴局|乡镇党委书记|乡镇党委副书记\/组织委员|派出单位主要领导|派出单位分管领导|派出单位人事负责人|驻村干部)）/)
  assert.doesNotMatch(text, /session\.login|"action"|\{"/, 'no codes or JSON outside 技术详情')
  const tech = table.locator('.el-table__row [data-test="audit-tech"]').first()
  await tech.locator('summary').click()
  assert.match(await tech.innerText(), /操作代码 [a-z_]+\.[a-z_]+/)
  await shot(page, 'audit-1440')
  await page.context().close()
})

for (const [name, viewport] of [['1440', WIDE], ['390', PHONE]]) {
  test(`screenshots of the pages issue 14 changed at ${name}`, { timeout: 150000 }, async () => {
    const page = await newPage(browser, viewport)
    await login(page, 'cadre1')
    await page.goto(`${BASE}/#/basis`)
    await page.locator('[data-test="basis-clause-1.1"]').waitFor()
    await settle(page)
    await shot(page, `basis-${name}`)
    await page.goto(`${BASE}/#/basis?clause=3.4a`)
    await page.locator('[data-test="basis-clause-3.4a"].on').waitFor()
    await page.waitForTimeout(300)
    await shot(page, `basis-clause-${name}`)
    await page.goto(`${BASE}/#/villages/360781104200`)
    await page.locator('[data-test="village-name"]').filter({ hasText: '沙洲坝村' }).waitFor()
    await settle(page)
    assert.match(await page.locator('[data-test="village-official-name"]').innerText(), /正式名称：沙洲坝村(民委员会|委会)/)
    await shot(page, `village-${name}`)
    assert.deepEqual(await errorsShown(page), [])
    if (name === '390') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`)
    }
    await page.context().close()
    const admin = await newPage(browser, viewport)
    await login(admin, 'auditadmin')
    await admin.goto(`${BASE}/#/audit`)
    await admin.locator('[data-test="audit-table"]').waitFor()
    await settle(admin)
    await shot(admin, `audit-${name}`)
    await admin.goto(`${BASE}/#/policy`)
    await admin.locator('[data-test="policy-sha"]').waitFor()
    await settle(admin)
    await shot(admin, `policy-${name}`)
    await admin.context().close()
  })
}
