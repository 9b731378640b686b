// (e) screenshots of the login, regions and units pages at desktop (1366×768) and phone (390×844) sizes,
// written to tests/e2e/shots/ (git-ignored) for a person to look at.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`screenshots at ${name} size`, { timeout: 90000 }, async () => {
    const page = await newPage(browser, viewport)
    await page.goto(BASE + '/#/login')
    await page.locator('[data-test="login-submit"]').waitFor()
    await settle(page)
    const files = [await shot(page, `login-${name}`)]

    await login(page, 'city_org')
    await page.goto(BASE + '/#/regions')
    await page.locator('[data-test="region-tree"] .el-tree-node').first().waitFor()
    await page.locator('[data-test="region-tree"] .el-tree-node__expand-icon:not(.is-leaf)').first().click()
    await page.locator('[data-test="region-tree"] .el-tree-node__children .el-tree-node').first().waitFor()
    await page.locator('[data-test="region-tree"] .el-tree-node__content').first().click()
    await page.locator('[data-test="region-breadcrumb"]').waitFor()
    await settle(page)
    if (name === 'phone') await page.evaluate(() => { const m = document.querySelector('.el-main'); if (m) m.scrollTop = 0 })
    files.push(await shot(page, `regions-${name}`))

    await page.goto(BASE + '/#/units')
    await page.locator('[data-test="units-table"]').waitFor()
    await settle(page)
    files.push(await shot(page, `units-${name}`))
    assert.deepEqual(await errorsShown(page), [])

    if (name === 'phone') {
      // On a phone the menu is a drawer behind a button, and there is no horizontal scrolling.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`)
      await page.locator('[data-test="menu-toggle"]').click()
      await page.locator('[data-test="menu-drawer"] [data-test="menu-units"]').waitFor({ state: 'visible' })
      await page.waitForTimeout(400)
      files.push(await shot(page, `menu-${name}`))
    }
    for (const f of files) assert.ok(fs.statSync(f).size > 5000, `${f} looks empty`)
    await page.context().close()
  })
}
