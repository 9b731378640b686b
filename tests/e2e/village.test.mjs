// The village page and the visit (5.6, 5.8) in the browser: the county imports a village's
// households from the sample sheet (errors first, then the good file); cadre1 records a visit on a
// phone — once online, once offline (kept on the phone and sent when the signal returns) — and the
// county sees the village's unvisited list shrink; the household page tells the story.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog(300000)
const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/samples/households_sample.csv')
const IMPORT_VILLAGE = '360781101207'   // 民主村 (瑞林镇): not a key village, no households in the demo
const DEMO_VILLAGE = '360781104200'     // 沙洲坝村: cadre1's
let browser
let centre
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const open = (viewport, pos) => newPage(browser, viewport, pos)
const visible = (page, sel) => page.locator(`${sel} >> visible=true`)

test('the county imports a village\'s households from a file: errors by row and column, then the good file', { timeout: 120000 }, async () => {
  const page = await open(DESKTOP)
  await login(page, 'ruijin_rrb')
  await page.goto(`${BASE}/#/villages`)
  await page.locator('[data-test="villages-page"]').waitFor()
  await settle(page)
  await page.goto(`${BASE}/#/villages/${IMPORT_VILLAGE}`)
  await page.locator('[data-test="village-name"]').getByText('民主村').waitFor()
  await page.locator('[data-test="households-empty"]').waitFor()
  assert.equal(await page.locator('[data-test="stat-households"]').innerText(), '0')

  const good = fs.readFileSync(SAMPLE)
  const bad = Buffer.from(good.toString('utf8').replace('362101196803120114', '362101196803120115'))
  await page.locator('[data-test="hh-import"]').click()
  const dlg = page.locator('[data-test="hh-import-dialog"]')
  await dlg.locator('[data-test="hh-import-file"]').setInputFiles({ name: '民主村名册.csv', mimeType: 'text/csv', buffer: bad })
  await dlg.locator('[data-test="hh-import-submit"]').click()
  const errs = dlg.locator('[data-test="hh-import-errors"]')
  await errs.waitFor()
  assert.match(await errs.innerText(), /2\s+F\s+身份证号\s+身份证号码校验位错误/)
  assert.match(await dlg.locator('[data-test="hh-import-error"]').innerText(), /未导入任何数据/)
  await shot(page, 'households-import-errors')
  await dlg.locator('[data-test="hh-import-file"]').setInputFiles({ name: '民主村名册.csv', mimeType: 'text/csv', buffer: good })
  await dlg.locator('[data-test="hh-import-submit"]').click()
  const ok = dlg.locator('[data-test="hh-import-success"]')
  await ok.waitFor()
  assert.match(await ok.innerText(), /共 5 户，新增 5 户/)
  await dlg.getByRole('button', { name: '完成' }).click()
  await page.locator('[data-test="stat-households"]').getByText('5').waitFor()
  await page.locator('[data-test="households-chart"]').waitFor()
  await settle(page)
  assert.equal(await visible(page, '[data-test="household-open"]').count(), 5)
  await visible(page, '[data-test="household-open"]').filter({ hasText: '谢国华' }).click()
  await page.locator('[data-test="household-title"]').getByText('谢国华').waitFor()
  const ids = await page.locator('[data-test="member-id"]').allInnerTexts()
  assert.equal(ids.length, 4)
  assert.ok(ids.every(t => /^3621\*{10}\d{3}[\dX]$/.test(t)), `masked: ${ids}`)
  assert.match(await page.locator('[data-test="item-schooling"]').innerText(), /未保障/)
  assert.match(await page.locator('[data-test="household-history"]').innerText(), /名册导入/)
  await settle(page)
  await shot(page, 'household-desktop')
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})

test('cadre1 records a visit on the phone, and one offline; the county sees the unvisited list shrink', { timeout: 180000 }, async () => {
  const county = await open(DESKTOP)
  await login(county, 'ruijin_rrb')
  const unvisited = async () => {
    await county.goto(`${BASE}/#/villages/${DEMO_VILLAGE}?tab=visits`)
    await county.reload()
    await county.locator('[data-test="section-visits"]').waitFor()
    await settle(county)
    return Number(await county.locator('[data-test="unvisited-count"]').innerText())
  }
  const before = await unvisited()
  assert.ok(before >= 2, `the demo leaves households unvisited (${before})`)

  const probe = await open(PHONE)
  await login(probe, 'cadre1')
  centre = (await (await probe.request.get(`${BASE}/api/v1/me/today`)).json()).assignment
  await probe.context().close()
  const page = await open(PHONE, { lat: centre.lat + 0.001, lng: centre.lng })
  await login(page, 'cadre1')
  await page.goto(`${BASE}/#/visits`)
  await page.locator('[data-test="visits-page"]').waitFor()
  await settle(page)
  const pickFirst = async () => {
    await page.locator('[data-test="visit-household"]').click()
    const opt = page.locator('.el-select-dropdown__item >> visible=true').first()
    await opt.getByText('本月未走访').waitFor()
    await opt.click()
  }
  await pickFirst()
  await page.locator('[data-test="visit-findings"]').fill('户主腰伤，了解医保报销进度')
  await page.locator('[data-test="visit-risks"]').getByText('因病', { exact: true }).click()
  await shot(page, 'visit-phone-form')
  await page.locator('[data-test="visit-submit"]').click()
  await page.locator('[data-test="visit-result"].r-ok').waitFor()
  assert.match(await page.locator('[data-test="visit-result"]').innerText(), /已在.+范围内/)
  await page.locator('[data-test="visit-today"]').first().getByText('户主腰伤').waitFor()
  assert.equal(await unvisited(), before - 1, 'one household fewer to visit')

  // offline: kept on the phone with its time, sent when the signal returns
  await page.context().setOffline(true)
  await page.locator('[data-test="visit-offline"]').waitFor()
  await pickFirst()
  await page.locator('[data-test="visit-findings"]').fill('子女上学情况良好')
  await page.locator('[data-test="visit-submit"]').click()
  await page.locator('[data-test="visit-result"].r-queued').waitFor()
  await page.locator('[data-test="visit-queue-count"][data-count="1"]').waitFor()
  await shot(page, 'visit-phone-offline')
  await page.context().setOffline(false)
  await page.locator('[data-test="visit-queue-count"][data-count="0"]').waitFor({ timeout: 40000 })
  await page.locator('[data-test="visit-today"]').getByText('子女上学情况良好').waitFor({ timeout: 20000 })
  assert.equal(await unvisited(), before - 2, 'the visit sent later counts too')
  const me = await (await page.request.get(`${BASE}/api/v1/me/today`)).json()
  assert.ok(me.checkins.filter(c => c.kind === 'visit').length >= 2, 'each visit is a check-in of the day')
  await shot(county, 'village-visits-desktop')
  await page.context().close()
  await county.context().close()
})

test('phone: the village page reads well at 390 px', { timeout: 90000 }, async () => {
  const page = await open(PHONE)
  await login(page, 'shazhouba_sec')
  await page.goto(`${BASE}/#/villages/${DEMO_VILLAGE}`)
  await page.locator('[data-test="households-chart"]').waitFor()
  await settle(page)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`)
  await shot(page, 'village-phone')
  await page.locator('[data-test="tab-crosschecks"]').click()
  await page.locator('[data-test="section-crosschecks"]').waitFor()
  await settle(page)
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})
