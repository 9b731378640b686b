// 经费保障 and 培训管理 in the browser. A unit (unit_leader1) finds a team of its cadres flagged
// "工作经费不足1万元" (3.4a), records the missing work funds, and the flag clears. The county
// (ruijin_org) finds a cadre on the untrained list (4.4), records a rotation batch (4.2a) with the
// cadre picked from the cadres in post, and the cadre leaves the list.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { randomInt, thisYear } from '../clock.mjs'

watchdog(240000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const year = () => String(thisYear())
const shortPlace = n => String(n).replace(/村民委员会$|村委会$/, '村').replace(/居民委员会$/, '社区')

test('a unit records work funds and its team\'s "below 10,000" flag clears (3.4a)', { timeout: 120000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'unit_leader1')
  const flagged = await (await page.request.get(`${BASE}/api/v1/team-funds?year=${year()}&flag=below_min&page_size=50`)).json()
  assert.ok(flagged.items.length > 0, 'the demo leaves a team of the unit short of 10,000 yuan')
  const team = flagged.items[0]
  const need = 10000 - team.work_funds
  await page.locator('[data-test="menu"] [data-test="menu-funds"]').click()
  await settle(page)
  await page.locator('[data-test="funds-flag"]').getByText('不足1万元').click()
  await settle(page)
  const label = `${team.township_name} · ${shortPlace(team.village_name)}`
  const row = page.locator('[data-test="teams-table"] .el-table__row').filter({ hasText: label })
  await row.first().waitFor()
  assert.ok(await row.first().locator('[data-flag="below_min"]').count() > 0, 'flagged below 10,000 with its clause')
  await shot(page, 'funds-unit-before')
  await row.first().locator('[data-test="team-add-fund"]').click()
  const dialog = page.locator('[data-test="funds-dialog"]')
  await dialog.waitFor()
  await dialog.locator('[data-test="fund-amount"] input').fill(String(need))
  await dialog.locator('[data-test="fund-doc"] input, input[data-test="fund-doc"]').fill(`瑞农字〔${year()}〕${randomInt(100000)}号`)
  await page.locator('[data-test="funds-save"]').click()
  await page.locator('.el-message--success').first().waitFor()
  await settle(page)
  assert.deepEqual(await errorsShown(page), [])
  await page.waitForFunction(t => ![...document.querySelectorAll('[data-test="teams-table"] .el-table__row')].some(r => r.textContent.includes(t)), label)
  const now = await (await page.request.get(`${BASE}/api/v1/team-funds?year=${year()}&page_size=200`)).json()
  const after = now.items.find(t => t.village_code === team.village_code)
  assert.equal(after.work_funds, 10000)
  assert.equal(after.below_min, false)
  assert.ok(!after.flags.some(f => f.code === 'below_min'))
  await page.locator('[data-test="funds-flag"]').getByText('全部').click()
  await settle(page)
  await shot(page, 'funds-unit-after')
  await page.context().close()
})

test('the county records a rotation batch and the cadre leaves the untrained list (4.2a, 4.4)', { timeout: 150000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'ruijin_org')
  const list = await (await page.request.get(`${BASE}/api/v1/training-coverage?year=${year()}&status=untrained&page_size=20`)).json()
  assert.ok(list.items.length > 0, 'the demo leaves cadres untrained')
  const cadre = list.items[0]
  await page.locator('[data-test="menu"] [data-test="menu-training"]').click()
  await settle(page)
  const table = page.locator('[data-test="coverage-table"]')
  await table.locator('.el-table__row').filter({ hasText: cadre.cadre_name }).first().waitFor()
  // the counties' table has a request of its own: its rows, not only its header (a full run read it empty)
  const counties = page.locator('[data-test="counties-table"]')
  await counties.locator('.el-table__row').first().waitFor()
  assert.match(await counties.innerText(), /瑞金市/)
  await shot(page, 'training-county-before')

  await page.locator('[data-test="event-create"]').click()
  const dialog = page.locator('[data-test="event-dialog"]')
  await dialog.waitFor()
  await dialog.locator('[data-test="event-title"] input, input[data-test="event-title"]').fill(`${year()}年驻村干部轮训（补训）`)
  await dialog.locator('[data-test="event-place"] input, input[data-test="event-place"]').fill('瑞金市委党校')
  await dialog.locator('[data-test="event-topics"]').getByText('“千万工程”经验').click()
  const picker = dialog.locator('[data-test="event-pick"]')
  await picker.click()
  await picker.locator('input').fill(cadre.cadre_name)
  const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: cadre.cadre_name })
    .filter({ hasText: shortPlace(cadre.village_name) }).first()
  await option.waitFor()
  await option.click()
  await dialog.locator('[data-test="event-picked"]').getByText(cadre.cadre_name).waitFor()
  await page.locator('[data-test="event-save"]').click()
  await page.locator('.el-message--success').first().waitFor()
  await settle(page)
  assert.deepEqual(await errorsShown(page), [])
  const after = await (await page.request.get(`${BASE}/api/v1/training-coverage?year=${year()}&status=untrained&page_size=200`)).json()
  assert.ok(!after.items.some(c => c.cadre_id === cadre.cadre_id), 'no longer untrained')
  const rows = await table.locator('.el-table__row').filter({ hasText: cadre.cadre_name })
    .filter({ hasText: shortPlace(cadre.village_name) }).count()
  assert.equal(rows, 0, 'gone from the untrained list on the page')
  await shot(page, 'training-county-after')
  await page.context().close()

  const phone = await newPage(browser, PHONE)
  await login(phone, 'ruijin_org')
  await phone.goto(BASE + '/#/training')
  await settle(phone)
  await phone.locator('[data-test="coverage-table"] [data-test="card"]').first().waitFor()
  assert.deepEqual(await errorsShown(phone), [])
  await shot(phone, 'training-phone')
  await phone.context().close()
})
