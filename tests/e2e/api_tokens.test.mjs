// 接口令牌 and 数据推送 (issue 13, part 2) in the browser: the security administrator issues a token on
// 接口令牌 — it is shown once with a copy button and a warning, it reads 瑞金市's cases over the API, the
// list shows it 有效 and never the token again — then revokes it (confirmed), after which the API answers 401.
// The system administrator's 数据推送 page opens cleanly. Screenshots at 1366 and 390 wide.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const casesWith = async (page, token) => page.request.get(`${BASE}/api/v1/cases?page_size=5`, { headers: { authorization: `Bearer ${token}` } })

test('secadmin issues a token (shown once), it reads the cases, then revokes it', { timeout: 240000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'secadmin')
  await page.locator('[data-test="menu"] [data-test="menu-api_tokens"]').click()
  await page.locator('[data-test="api-tokens-page"]').waitFor()
  await settle(page)
  const name = `瑞金市数据中心${process.pid}`
  await page.locator('[data-test="token-add"]').click()
  await page.locator('[data-test="token-name"]').fill(name)
  await page.locator('[data-test="token-region"]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '瑞金市' }).first().click()
  await page.locator('[data-test="token-save"]').click()
  const value = page.locator('[data-test="token-value"]')
  await value.waitFor({ state: 'visible' })
  const token = (await value.innerText()).trim()
  assert.match(token, /^zc_[0-9a-f]{64}$/)
  assert.ok(await page.getByText('令牌只显示这一次').isVisible())
  await shot(page, 'api-token-issued-desktop')
  const read = await casesWith(page, token)
  assert.equal(read.status(), 200)
  assert.ok((await read.json()).items.every((c) => c.village_code.startsWith('360781')))
  await page.locator('[data-test="token-done"]').click()
  await settle(page)
  const row = page.locator('[data-test="tokens-table"] .el-table__row', { hasText: name })
  await row.waitFor()
  assert.match(await row.innerText(), /有效/)
  assert.ok(!(await page.content()).includes(token.slice(3)), 'the token is not on the page any more')
  await row.locator('[data-test="token-revoke"]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-test="tokens-table"] .el-table__row', { hasText: name }).filter({ hasText: '已吊销' }).waitFor()
  assert.equal((await casesWith(page, token)).status(), 401)
  assert.deepEqual(await errorsShown(page), [])
  await page.close()
})

test('the 接口令牌 page on a phone, and 数据推送 for the system administrator', { timeout: 240000 }, async () => {
  const phone = await newPage(browser, PHONE)
  await login(phone, 'secadmin')
  await phone.goto(BASE + '/#/api-tokens')
  await phone.locator('[data-test="api-tokens-page"]').waitFor()
  await settle(phone)
  await shot(phone, 'api-tokens-phone')
  assert.deepEqual(await errorsShown(phone), [])
  await phone.close()
  const page = await newPage(browser)
  await login(page, 'sysadmin')
  await page.locator('[data-test="menu"] [data-test="menu-webhooks"]').click()
  await page.locator('[data-test="webhooks-page"]').waitFor()
  await settle(page)
  await page.locator('[data-test="webhook-add"]').click()
  await page.getByText('案件作出决定').first().waitFor()
  await shot(page, 'webhooks-desktop')
  assert.deepEqual(await errorsShown(page), [])
  await page.close()
})
