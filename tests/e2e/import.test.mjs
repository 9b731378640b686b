// Roster import: unit_hr1 uploads a CSV with one bad ID number → the error table names its row and column;
// the corrected file is imported → "新增 N 人，更新 M 人".
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

// A valid GB 11643 number: area 110105, the given birth date, a sequence, the check character.
function idNumber(birth, seq) {
  const body = '110105' + birth + String(seq).padStart(3, '0')
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0)
  return body + '10X98765432'[sum % 11]
}

test('unit_hr1 imports a roster: errors by row and column, then success', { timeout: 120000 }, async () => {
  const seq = 100 + Math.floor(Math.random() * 800)
  const good1 = idNumber('19880512', seq)
  const good2 = idNumber('19900301', seq + 1)
  const bad = good2.slice(0, 17) + (good2[17] === '0' ? '1' : '0') // wrong check character
  const header = '姓名,身份证号,手机号,中共党员,用工性质,职级,农村工作经历,涉农专业特长,考核年度,考核结果'
  const csv = (second) => Buffer.from('\ufeff' + [header,
    `刘晓东,${good1},13800138001,是,在编,正科级（一、二级主任科员）,是,否,2025,优秀`,
    `王海燕,${second},13800138002,否,在编,副科级（三、四级主任科员）,否,是,2025,称职`].join('\r\n') + '\r\n')

  const page = await newPage(browser)
  await login(page, 'unit_hr1')
  await page.goto(BASE + '/#/cadres')
  await page.locator('[data-test="cadres-import"]').click()
  const dlg = page.locator('[data-test="import-dialog"]')
  await dlg.waitFor({ state: 'visible' })

  // The template is there to download.
  const tpl = await page.request.get(new URL(await dlg.locator('[data-test="import-template"]').getAttribute('href'), BASE + '/').toString())
  assert.equal(tpl.status(), 200)
  assert.match((await tpl.text()).split(/\r?\n/)[0], /姓名,身份证号,手机号,中共党员,用工性质,职级,农村工作经历,涉农专业特长,考核年度,考核结果/)

  await dlg.locator('[data-test="import-file"]').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: csv(bad) })
  const req = page.waitForRequest(r => r.url().includes('/api/v1/cadres/import'))
  await dlg.locator('[data-test="import-submit"]').click()
  const sent = await req
  assert.equal(sent.headers()['content-type'], 'text/csv')
  assert.match(sent.url(), /unit=\d+/)
  const errs = dlg.locator('[data-test="import-errors"]')
  await errs.waitFor()
  const row = errs.locator('.el-table__body .el-table__row').first()
  const cells = await row.locator('td').allInnerTexts()
  assert.equal(cells[0].trim(), '3', `row: ${cells}`)
  assert.equal(cells[1].trim(), 'B', `column: ${cells}`)
  assert.match(cells[2], /身份证号/)
  assert.equal(await dlg.locator('[data-test="import-success"]').count(), 0)

  // Fixed → imported.
  await dlg.locator('[data-test="import-file"]').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: csv(good2) })
  await dlg.locator('[data-test="import-submit"]').click()
  await dlg.locator('[data-test="import-success"]').waitFor()
  assert.match(await dlg.locator('[data-test="import-success"]').innerText(), /新增 2 人，更新 0 人/)
  await settle(page)
  assert.deepEqual((await errorsShown(page)).filter(e => !/身份证/.test(e)), [])
  await page.context().close()
})
