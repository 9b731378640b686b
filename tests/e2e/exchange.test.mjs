// 数据交换 (issue 13, part 2): ruijin_rrb chooses 成员 and a village, downloads the CSV export (UTF-8 with
// a BOM, the documented headers), imports it back unchanged → "新增 0 户，变更 0 户"; then a copy with
// a wrong check character → the error table names its row, column letter and header. Screenshots at
// 1440 and 390 wide.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, login, settle, errorsShown, closeAll, watchdog, shot } from './helpers.mjs'

watchdog()
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const VILLAGE = '360781101200' // 瑞红村 (瑞林镇): demo households

async function upload(page, name, text) {
  await page.locator('[data-test="exchange-file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })
  await page.locator('[data-test="exchange-import"]').click()
}

for (const width of [1440, 390]) {
  test(`exchange page at ${width}: export, round trip, an error by row and column`, { timeout: 150000 }, async () => {
    const page = await newPage(browser, { width, height: width < 768 ? 844 : 900 })
    await login(page, 'ruijin_rrb')
    await page.goto(BASE + '/#/exchange')
    await page.locator('[data-test="exchange-page"]').waitFor()
    await page.locator('[data-test="exchange-dataset-members"]').click()
    await page.locator('[data-test="exchange-layout"]').waitFor()
    const layoutText = await page.locator('[data-test="exchange-layout"]').innerText()
    assert.match(layoutText, /村代码/)
    assert.match(layoutText, /身份证号/)

    // the export link carries the dataset and format; the scope is added as ?region=
    const href = await page.locator('[data-test="exchange-export-csv"]').getAttribute('href')
    assert.match(href, /\/api\/v1\/exchange\/members\/export\?format=csv/)
    const res = await page.request.get(new URL(href + `&region=${VILLAGE}`, BASE + '/').toString())
    assert.equal(res.status(), 200)
    const text = (await res.body()).toString('utf8')
    assert.ok(text.startsWith('\ufeff'), 'UTF-8 with a BOM')
    const lines = text.slice(1).split('\r\n').filter(Boolean)
    assert.ok(lines.length > 5, 'the village has members')
    assert.match(lines[0], /^村代码,乡镇,村,户编号,户主姓名,户类型/)
    assert.ok(!/\d{17}[\dX]/.test(text), 'no full ID number in the export')

    await upload(page, 'members.csv', text)
    await page.locator('[data-test="exchange-success"]').waitFor()
    assert.match(await page.locator('[data-test="exchange-success"]').innerText(), /新增 0 户，变更 0 户/)

    // the third data row's ID number made full but with a wrong check character
    const cells = lines.map((l) => l.split(','))
    const idCol = cells[0].indexOf('身份证号')
    cells[3][idCol] = '36078119800707123' + (cells[3][idCol].endsWith('1') ? '2' : '1')
    await upload(page, 'members-bad.csv', '\ufeff' + cells.map((c) => c.join(',')).join('\r\n') + '\r\n')
    const errs = page.locator('[data-test="exchange-errors"]')
    await errs.waitFor()
    if (width >= 768) {
      const first = await errs.locator('.el-table__body .el-table__row').first().locator('td').allInnerTexts()
      assert.equal(first[0].trim(), '4', `row: ${first}`)
      assert.equal(first[1].trim(), 'I', `column: ${first}`)
      assert.equal(first[2].trim(), '身份证号', `header: ${first}`)
    } else {
      assert.match(await errs.innerText(), /第 4 行，I 列 · 身份证号/)
    }
    assert.match(await page.locator('[data-test="exchange-error"]').innerText(), /未导入任何数据/)
    await settle(page)
    await shot(page, `exchange-${width}`)
    // the refused file's 422 is the answer the page shows, not a fault
    assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), [])
    assert.deepEqual((await errorsShown(page)).filter((e) => !/错误/.test(e)), [])
    await page.context().close()
  })
}
