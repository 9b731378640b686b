// 健康状况 sealed at rest (issue 17, F7): on 户情 a member's health note shows as "****"; 查看 asks for the
// password again and then shows the text (an audited read), on the desktop table and on the phone's cards.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, PASSWORD, launch, newPage, login, settle, closeAll, watchdog } from './helpers.mjs'
import { randomHex, randomInt, thisYear } from '../clock.mjs'

watchdog(240000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const VILLAGE = '360781104200'

function idNumber(seq) {
  const first17 = '36078119680312' + String(seq % 1000).padStart(3, '0')
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

async function importOne(page, health) {
  const no = `S${randomHex(3)}`
  const csv = '户编号,户主姓名,户类型,是否纳入监测,成员姓名,身份证号,与户主关系,是否劳动力,健康状况,人均纯收入,收入年度,联系电话,住址,不愁吃穿,义务教育保障,基本医疗保障,住房安全保障,饮水安全保障\n' +
    `${no},赖测试,脱贫户,否,赖测试,${idNumber(randomInt(997))},户主,否,${health},5200,${thisYear()},,上坪组,是,是,是,是,是\n`
  const csrf = await page.evaluate(() => sessionStorage.getItem('zc_csrf'))
  const r = await page.request.fetch(`${BASE}/api/v1/households/import?village=${VILLAGE}`, {
    method: 'POST', headers: { 'X-CSRF-Token': csrf, 'content-type': 'text/csv' }, data: csv
  })
  assert.equal(r.status(), 200, await r.text())
  const found = await (await page.request.get(`${BASE}/api/v1/households?village=${VILLAGE}&q=${no}`)).json()
  return found.items[0]
}

async function revealHealth(page, health) {
  const cell = page.locator('[data-test="member-health"]').first()
  await cell.waitFor()
  assert.equal((await cell.textContent()).trim(), '****')
  assert.ok(!(await page.content()).includes(health), 'the page does not carry the note before the reveal')
  await page.locator('[data-test="member-health-reveal"]').first().click()
  await page.locator('.el-message-box input').fill(PASSWORD)
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('[data-test="member-health"]').filter({ hasText: health }).first().waitFor()
  await settle(page)
  assert.equal(await page.locator('[data-test="member-health-reveal"]').count(), 0, 'no 查看 once shown')
}

test('户情: the health note is "****" until 查看 and the password; desktop and phone', { timeout: 200000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'shazhouba_sec')
  const health = `尿毒症需透析${randomHex(2)}`
  const h = await importOne(page, health)
  assert.ok(h, 'imported')
  await page.goto(`${BASE}/#/households/${h.id}`)
  await revealHealth(page, health)
  assert.deepEqual(page.problems, [])

  const phone = await newPage(browser, PHONE)
  await login(phone, 'cadre1')
  await phone.goto(`${BASE}/#/households/${h.id}`)
  await revealHealth(phone, health)
  assert.deepEqual(phone.problems, [])
})
