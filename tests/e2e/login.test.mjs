// (c) a wrong password shows the server's Chinese message and keeps the user on the login page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, closeAll, watchdog } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

test('login page is in Chinese and has the form', { timeout: 60000 }, async () => {
  const page = await newPage(browser)
  await page.goto(BASE + '/')
  await page.locator('[data-test="login-submit"]').waitFor()
  assert.match(page.url(), /#\/login/)
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN')
  assert.match(await page.locator('body').innerText(), /赣州市驻村帮扶管理系统/)
  await page.context().close()
})

test('wrong password shows the Chinese error', { timeout: 60000 }, async () => {
  const page = await newPage(browser)
  await page.goto(BASE + '/#/login')
  await page.locator('[data-test="login-username"]').fill('unit_leader1')
  await page.locator('[data-test="login-password"]').fill('wrong-Password-1')
  const reply = page.waitForResponse(r => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST')
  await page.locator('[data-test="login-submit"]').click()
  const res = await reply
  assert.equal(res.status(), 401)
  const err = page.locator('[data-test="login-error"]')
  await err.waitFor({ state: 'visible' })
  const text = (await err.innerText()).trim()
  assert.match(text, /[\u4e00-\u9fff]/, `error is not Chinese: ${text}`)
  const body = await res.json()
  assert.equal(body.error.code, 'login_failed')
  assert.ok(text.includes(body.error.message), `shown "${text}" is not the server's "${body.error.message}"`)
  assert.match(page.url(), /#\/login/)
  assert.equal(await page.locator('[data-test="current-user"]').count(), 0)
  await page.context().close()
})

test('a page behind the login sends an anonymous visitor to the login page', { timeout: 60000 }, async () => {
  const page = await newPage(browser)
  await page.goto(BASE + '/#/units')
  await page.locator('[data-test="login-submit"]').waitFor()
  assert.match(page.url(), /#\/login\?redirect=/)
  await page.context().close()
})
