// (b) a township secretary sees only their township in the region tree, and the API hides the others.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const OWN = '360781100'      // 象湖镇, scope of xianghu_sec
const OTHER = '360781101'    // another township of 瑞金市

test('xianghu_sec sees only 象湖镇 and its villages', { timeout: 90000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'xianghu_sec')
  await page.goto(BASE + '/#/regions')
  const tree = page.locator('[data-test="region-tree"]')
  const roots = tree.locator(':scope > .el-tree-node')
  await roots.first().waitFor()
  assert.equal(await roots.count(), 1, 'exactly one root')
  const root = page.locator(`[data-test="region-node-${OWN}"]`)
  assert.match(await root.innerText(), /象湖镇/)

  // Expand it: its children are villages of 象湖镇, and nothing else.
  await roots.first().locator('.el-tree-node__expand-icon').first().click()
  const kids = roots.first().locator('.el-tree-node__children [data-test^="region-node-"]')
  await kids.first().waitFor()
  const codes = await kids.evaluateAll(els => els.map(e => e.getAttribute('data-test').replace('region-node-', '')))
  assert.ok(codes.length > 0, '象湖镇 has villages')
  for (const c of codes) assert.ok(c.startsWith(OWN) && c !== OWN, `child ${c} is not under ${OWN}`)
  assert.equal(await page.locator(`[data-test="region-node-${OTHER}"]`).count(), 0)

  // Selecting a village shows its details; a township secretary may not edit the fence.
  await kids.first().click()
  await page.locator('[data-test="region-breadcrumb"]').waitFor()
  assert.match(await page.locator('[data-test="region-breadcrumb"]').innerText(), /象湖镇/)
  assert.equal(await page.locator('[data-test="region-edit"]').count(), 0)
  await settle(page)
  assert.deepEqual(await errorsShown(page), [])

  // Another township is absent, not forbidden: its existence does not leak.
  const r = await page.request.get(`${BASE}/api/v1/regions/${OTHER}`)
  assert.equal(r.status(), 404)
  const body = await r.json()
  assert.ok(['out_of_scope', 'not_found'].includes(body.error.code), body.error.code)
  const own = await page.request.get(`${BASE}/api/v1/regions/${OWN}`)
  assert.equal(own.status(), 200)
  await page.context().close()
})

test('city_org may edit a village (重点村 and fence form is shown)', { timeout: 90000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'city_org')
  await page.goto(BASE + '/#/regions')
  // Walk down the first branch to a village: city → county → township → village.
  let node = page.locator('[data-test="region-tree"] > .el-tree-node').first()
  await node.waitFor()
  for (let depth = 0; depth < 4; depth++) {
    const icon = node.locator(':scope > .el-tree-node__content .el-tree-node__expand-icon:not(.is-leaf)')
    if (await icon.count() === 0) break
    await icon.click()
    const child = node.locator(':scope > .el-tree-node__children > .el-tree-node').first()
    await child.waitFor()
    node = child
  }
  await node.locator(':scope > .el-tree-node__content').click()
  await page.locator('[data-test="region-breadcrumb"]').waitFor()
  await page.locator('[data-test="region-edit"]').waitFor()
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})
