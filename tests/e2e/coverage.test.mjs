// Coverage (1.7) and stability (1.1): city_org sees the 18 counties, the chart, the villages without a first
// secretary, and both Excel exports download as workbooks.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`city_org sees coverage of 18 counties (${name})`, { timeout: 90000 }, async () => {
    const page = await newPage(browser, viewport)
    await login(page, 'city_org')
    await page.goto(BASE + '/#/coverage')
    const table = page.locator('[data-test="coverage-table"]')
    const rowSel = name === 'desktop' ? '.el-table__body .el-table__row' : '[data-test="card"]'
    await table.locator(rowSel).first().waitFor()
    await settle(page)
    assert.equal(await table.locator(rowSel).count(), 18, '18 counties')
    assert.match(await page.locator('[data-test="coverage-heading"]').innerText(), /1\.7/)
    await page.locator('[data-test="coverage-chart"] canvas').waitFor()
    assert.ok(await page.locator('[data-test="missing-table"]').innerText(), 'villages without a first secretary')
    assert.deepEqual(await errorsShown(page), [])
    await shot(page, `coverage-${name}`)

    for (const t of ['coverage-export', 'stability-export']) {
      const href = await page.locator(`[data-test="${t}"]`).getAttribute('href')
      assert.match(href, /format=xlsx/)
      const r = await page.request.get(new URL(href, BASE).toString())
      assert.equal(r.status(), 200, `${t}: ${r.status()}`)
      const body = await r.body()
      assert.equal(body.subarray(0, 2).toString('latin1'), 'PK', `${t} is a workbook`)
    }
    await page.locator('[data-test="coverage-tabs"]').getByText('队伍稳定').click()
    await page.locator('[data-test="stability-heading"]').waitFor({ state: 'visible' })
    assert.match(await page.locator('[data-test="stability-heading"]').innerText(), /1\.1/)
    if (name === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`)
    }
    await page.context().close()
  })
}

// issue 14: the township's cards said 0 key villages while the list below named its villages
for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the township's cards count the key villages its list names (${name})`, { timeout: 90000 }, async () => {
    const page = await newPage(browser, viewport)
    await login(page, 'shazhouba_sec')
    const api = await (await page.request.get(`${BASE}/api/v1/coverage`)).json()
    const missing = api.villages_without_first_secretary.length
    await page.goto(BASE + '/#/coverage')
    const cards = page.locator('[data-test="coverage-totals"]')
    await cards.waitFor()
    await settle(page)
    const nums = (await cards.locator('.num').allInnerTexts()).map((s) => s.trim())
    const keys = api.items.reduce((n, r) => n + r.key_villages, 0)
    assert.ok(keys > 0, 'the township has key villages')
    assert.equal(nums[0], String(keys), '重点村')
    assert.equal(nums[2], String(missing), '缺第一书记 = the villages the list names')
    assert.match(await page.locator('[data-test="missing-heading"]').innerText(), new RegExp(`（${missing}）`))
    assert.deepEqual(await errorsShown(page), [])
    await shot(page, `coverage-township-${name}`)
    await page.context().close()
  })
}
