// 考核 in the browser: the county organization department opens this year's 任期考核 on the 干部考核
// page; the steps of the others (述职, 民主测评, opinions) go through the API; the county sets a 优秀
// beyond the cap and its confirmation is refused with the cap in Chinese, changes it on the
// evaluation page beside the facts, and confirms. The 考核登记表 is saved as an A4 PDF by headless
// Chromium (page.pdf) and its text (pdftotext) holds the cadre's name and the result. Screenshots on
// a desk and a phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, errorsShown, shot, closeAll, watchdog } from './helpers.mjs'
import { api, as, createUser, login as apiLogin } from '../api/lib.mjs'
import { thisYear } from '../clock.mjs'

watchdog(280000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

async function pdfText(page, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhucun-pdf-'))
  const file = path.join(dir, name + '.pdf')
  await page.emulateMedia({ media: 'print' })
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true })
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1])
  fs.rmSync(dir, { recursive: true, force: true })
  return { text, pages }
}

// 述职, 民主测评, the township's opinion and the unit's, for every evaluation of the round.
async function stepsBeforeTheCounty(roundId) {
  const org = await as('ruijin_org')
  const sec = await as('shazhouba_sec')
  const list = (await api('GET', `/api/v1/evaluations?round=${roundId}&page_size=200`, { session: org })).body.items
  const units = new Map()
  for (const e of list) {
    const c = await createUser({ role: 'cadre', cadre_id: e.cadre_id, region_code: undefined })
    const me = await apiLogin(c.username, c.password)
    let d = (await api('GET', `/api/v1/evaluations/${e.id}`, { session: me })).body
    d = (await api('PUT', `/api/v1/evaluations/${e.id}/report`, { session: me, body: { version: d.version, text: d.report_draft, submit: true } })).body
    d = (await api('POST', `/api/v1/evaluations/${e.id}/steps`, { session: sec, body: { version: d.version, step: 'votes',
      votes: [{ group: 'party_members', good: 9, fair: 3, average: 1, poor: 0 }, { group: 'villagers', good: 21, fair: 6, average: 2, poor: 0 }] } })).body
    d = (await api('POST', `/api/v1/evaluations/${e.id}/steps`, { session: sec, body: { version: d.version, step: 'township', opinion: '该同志任期内吃住在村，履职尽责。' } })).body
    if (!units.has(e.unit_id)) {
      const u = await createUser({ role: 'unit_leader', unit_id: e.unit_id, region_code: undefined })
      units.set(e.unit_id, await apiLogin(u.username, u.password))
    }
    const r = await api('POST', `/api/v1/evaluations/${e.id}/steps`, { session: units.get(e.unit_id), body: { version: d.version, step: 'unit', opinion: '单位党组织同意乡镇党委意见。' } })
    assert.equal(r.status, 200, r.text)
  }
  return list
}

let termEval
test('the county opens the 任期考核, is refused a 优秀 beyond the cap, changes it beside the facts and confirms', { timeout: 260000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'ruijin_org')
  await page.goto(BASE + '/#/evaluations')
  await settle(page)
  // last year's finished round is there
  await page.locator('[data-test="round"]').filter({ hasText: `${thisYear() - 1} 年年度考核` }).first().waitFor()
  await page.locator('[data-test="round-kind"]').click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '任期考核' }).click()
  await page.locator('[data-test="round-create"]').click()
  const round = page.locator('[data-test="round"]').filter({ hasText: `${thisYear()} 年任期考核` }).first()
  await round.waitFor()
  assert.match(await round.innerText(), /进行中/)
  const rounds = (await api('GET', '/api/v1/evaluation-rounds', { session: await as('ruijin_org') })).body.items
  const r = rounds.find(x => x.kind === 'term' && x.year === thisYear())
  const list = await stepsBeforeTheCounty(r.id)
  termEval = list[0]
  const org = await as('ruijin_org')
  for (const [i, e] of list.entries()) {
    const d = (await api('GET', `/api/v1/evaluations/${e.id}`, { session: org })).body
    await api('POST', `/api/v1/evaluations/${e.id}/steps`, { session: org, body: { version: d.version, step: 'result', result: i === 0 ? 'excellent' : 'competent' } })
  }
  await page.reload()
  await settle(page)
  await page.locator('[data-test="round"]').filter({ hasText: `${thisYear()} 年任期考核` }).first().click()
  await page.locator('[data-test="cap-alert"]').waitFor()
  await page.locator('[data-test="round-confirm"]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('.el-message--error').filter({ hasText: '优秀至多 0 人' }).waitFor()
  const toast = await page.locator('.el-message--error').first().innerText()
  assert.match(toast, /不得超过参加考核人数的 20%/)
  await page.locator('.el-message__closeBtn').first().click().catch(() => {})

  // the evaluation, with the facts beside the decision: 优秀 → 称职
  await page.goto(BASE + `/#/evaluations/${termEval.id}`)
  await page.locator('[data-test="eval-facts"]').waitFor()
  assert.match(await page.locator('[data-test="fact-days"]').innerText(), /在村天数（应不少于 \d+ 天/)
  await page.locator('[data-test="result-radio"] label').filter({ hasText: /^称职$/ }).click()
  await page.locator('[data-test="result-save"]').click()
  await page.locator('.el-message--success').filter({ hasText: '考核等次已确定' }).waitFor()
  await shot(page, 'evaluation-desktop')
  await page.goto(BASE + '/#/evaluations')
  await settle(page)
  await page.locator('[data-test="round"]').filter({ hasText: `${thisYear()} 年任期考核` }).first().click()
  await page.locator('[data-test="round-confirm"]').click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('.el-message--success').filter({ hasText: '考核结果已确认' }).waitFor()
  await page.locator('[data-test="round"]').filter({ hasText: `${thisYear()} 年任期考核` }).filter({ hasText: '已确认' }).waitFor()
  await shot(page, 'evaluations-desktop')
  // the refused confirmation is the only failed request the browser saw
  assert.deepEqual(page.problems.filter(p => !/status of 409/.test(p)), [])
})

test('the 考核登记表 prints on one A4 page and its PDF reads the cadre\'s name and the result', { timeout: 120000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'ruijin_org')
  const e = (await api('GET', `/api/v1/evaluations/${termEval.id}`, { session: await as('ruijin_org') })).body
  await page.goto(BASE + `/#/evaluations/${e.id}/print`)
  await page.locator('[data-test="form-result"]').filter({ hasText: '称职' }).waitFor()
  await shot(page, 'evaluation-form-desktop')
  const { text, pages } = await pdfText(page, 'evaluation-form')
  assert.equal(pages, 1, 'one A4 page')
  const flat = text.replace(/\s+/g, '')
  assert.ok(flat.includes(e.cadre_name), `the name ${e.cadre_name} in: ${text.slice(0, 400)}`)
  assert.ok(flat.includes('称职'), 'the result')
  assert.ok(flat.includes('驻村干部任期考核登记表'))
  assert.ok(flat.includes('盖章') && flat.includes('年月日'), 'signature, seal and date blanks')
  assert.ok(!flat.includes('打印/另存为PDF'), 'the buttons do not print')
  assert.deepEqual(page.problems, [])
})

test('on a phone: the cadre reads last year\'s 考核 and opens its form', { timeout: 120000 }, async () => {
  const page = await newPage(browser, PHONE)
  await login(page, 'cadre1')
  await page.goto(BASE + '/#/evaluations')
  await settle(page)
  const card = page.locator('[data-test="evaluations-table"] [data-test="card"]').filter({ hasText: `${thisYear() - 1} 年年度考核` }).first()
  await card.waitFor()
  await shot(page, 'evaluations-cadre-phone')
  await card.locator('[data-test="eval-open"]').click()
  await page.locator('[data-test="eval-result"]').waitFor()
  await page.locator('[data-test="report-view"]').waitFor()
  await shot(page, 'evaluation-cadre-phone')
  assert.deepEqual(await errorsShown(page), [])
  assert.deepEqual(page.problems, [])
})
