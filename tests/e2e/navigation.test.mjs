// (a) city_org walks every menu item it is shown; each page renders its table/tree without an error.
// (d) the three administrators see only their own menus.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, login, logout, menuKeys, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

// What each page must show once loaded.
const READY = {
  home: '[data-test="home"]',
  regions: '[data-test="region-tree"] .el-tree-node',
  units: '[data-test="units-table"] .el-table',
  users: '[data-test="users-table"] .el-table',
  cadres: '[data-test="cadres-table"] .el-table',
  audit: '[data-test="audit-table"] .el-table'
}

test('city_org walks every menu item, then logs out', { timeout: 120000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'city_org')
  assert.match(await page.locator('[data-test="current-user"]').innerText(), /组织部/)
  const keys = await menuKeys(page)
  for (const k of ['regions', 'units', 'cadres']) assert.ok(keys.includes(k), `menu lacks ${k}: ${keys}`)
  assert.ok(!keys.includes('users') && !keys.includes('audit'), `city_org must not see users/audit: ${keys}`)

  for (const key of keys) {
    await page.locator(`[data-test="menu"] [data-test="menu-${key}"]`).click()
    await page.locator(READY[key]).first().waitFor({ state: 'visible' })
    await settle(page)
    assert.deepEqual(await errorsShown(page), [], `page ${key} shows an error`)
  }

  // A reload keeps the session and its CSRF token: the logout (a DELETE) must still be accepted.
  await page.reload()
  await page.locator('[data-test="current-user"]').waitFor()
  const del = page.waitForResponse(r => r.url().endsWith('/api/v1/session') && r.request().method() === 'DELETE')
  await logout(page)
  assert.equal((await del).status(), 204)
  const after = await page.request.get(BASE + '/api/v1/session')
  assert.equal(after.status(), 401, 'session must be gone after logout')
  assert.deepEqual(page.problems.filter(p => !/401|Unauthorized/i.test(p)), [])
  await page.context().close()
})

test('sysadmin sees 账号 and not 驻村干部', { timeout: 60000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'sysadmin')
  const keys = await menuKeys(page)
  assert.ok(keys.includes('users'), `sysadmin menu: ${keys}`)
  assert.ok(!keys.includes('cadres'), `sysadmin must not see cadres: ${keys}`)
  assert.ok(!keys.includes('audit'), `sysadmin must not see audit: ${keys}`)
  await page.locator('[data-test="menu"] [data-test="menu-users"]').click()
  await page.locator(READY.users).waitFor()
  await settle(page)
  assert.ok(await page.locator('[data-test="users-table"] .el-table__row').count() > 0, 'users table is empty')
  assert.deepEqual(await errorsShown(page), [])
  // The route of a page outside the menu leads back to an allowed one.
  await page.goto(BASE + '/#/cadres')
  await page.waitForURL(u => !String(u).includes('#/cadres'))
  await page.context().close()
})

test('auditadmin sees only 审计日志 and can verify the hash chain', { timeout: 60000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'auditadmin')
  const keys = await menuKeys(page)
  assert.deepEqual(keys.filter(k => k !== 'home'), ['audit'], `auditadmin menu: ${keys}`)
  await page.locator('[data-test="menu"] [data-test="menu-audit"]').click()
  await page.locator(READY.audit).waitFor()
  await settle(page)
  assert.ok(await page.locator('[data-test="audit-table"] .el-table__row').count() > 0, 'audit log is empty (logins are audited)')
  await page.locator('[data-test="audit-verify"]').click()
  const verdict = page.locator('[data-test="audit-verdict"]')
  await verdict.waitFor()
  assert.match(await verdict.innerText(), /哈希链完整/)
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})
