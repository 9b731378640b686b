// 监测帮扶 (5.7) in the browser: a household whose risk was seen on a visit is walked from the lead to
// a closed case. The household and the visit are made through the API (the registry's import and
// the cadre's visit); every step of the case is taken in the browser by whoever takes it — the
// cadre raises it from the visit, holds the democratic review and the notice and records a
// measure; the township checks; the county rural revitalization department decides; the team
// takes the closure through 入户核实, 民主评议 and 公示, and the county, the closure criteria all
// met, confirms it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, errorsShown, closeAll, watchdog, pickRemote } from './helpers.mjs'
import { isoCST, randomHex, randomInt, thisYear, today } from '../clock.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const VILLAGE = '360781104200'
const daysAgo = (n) => today(-n)

// A write through the page's own session (cookie + CSRF token kept by the app).
async function call(page, method, path, body, contentType = 'application/json') {
  const csrf = await page.evaluate(() => sessionStorage.getItem('zc_csrf'))
  const r = await page.request.fetch(BASE + '/api/v1' + path, {
    method, headers: { 'X-CSRF-Token': csrf, 'content-type': contentType },
    data: contentType === 'application/json' ? JSON.stringify(body) : body
  })
  const text = await r.text()
  return { status: r.status(), body: text ? JSON.parse(text) : null, text }
}

function idNumber(seq) {
  const first17 = '36078119750612' + String(seq % 1000).padStart(3, '0')
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

async function pickDate(page, test, date) {
  const el = page.locator(`[data-test="${test}"]`).first()
  const input = (await el.evaluate(e => e.tagName)) === 'INPUT' ? el : el.locator('input').first()
  await input.fill(date)
  await input.press('Enter')
}
async function choose(page, test, text) {
  await page.locator(`[data-test="${test}"]`).first().click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).first().click()
}
async function takeStep(page, action, fill) {
  const radios = page.locator('[data-test="case-action"]')
  if (await radios.count()) await radios.locator('.el-radio-button').filter({ hasText: action }).click()
  await fill()
  await page.locator('[data-test="step-submit"]').click()
  await settle(page)
}

test('a risk seen on a visit becomes a monitoring case and is closed when the criteria are met', { timeout: 240000 }, async () => {
  const lead = daysAgo(240)
  // the household, through the registry's import (the township)
  const sec = await newPage(browser, DESKTOP)
  await login(sec, 'shazhouba_sec')
  const no = `E${randomHex(3)}`
  const year = thisYear()
  const csv = '户编号,户主姓名,户类型,是否纳入监测,成员姓名,身份证号,与户主关系,是否劳动力,健康状况,人均纯收入,收入年度,联系电话,住址,不愁吃穿,义务教育保障,基本医疗保障,住房安全保障,饮水安全保障\n' +
    `${no},钟测试,脱贫户,否,钟测试,${idNumber(randomInt(997))},户主,是,健康,6500,${year},,上坪组,是,是,是,是,是\n`
  let r = await call(sec, 'POST', `/households/import?village=${VILLAGE}`, csv, 'text/csv')
  assert.equal(r.status, 200, r.text)
  const found = await (await sec.request.get(`${BASE}/api/v1/households?village=${VILLAGE}&q=${no}`)).json()
  const household = found.items[0]
  assert.ok(household, 'imported')

  // the visit, through the cadre's phone API
  const cadre = await newPage(browser, PHONE)
  await login(cadre, 'cadre1')
  const me = await (await cadre.request.get(`${BASE}/api/v1/me/today`)).json()
  const now = isoCST()
  r = await call(cadre, 'POST', '/visits', { client_id: 'e2e' + randomHex(6), household_id: household.id, at: now, sent_at: now,
    lat: me.assignment.lat, lng: me.assignment.lng, accuracy_m: 12, source: 'gps', findings: '户主务工受伤，收入中断', risks: ['accident'] })
  assert.equal(r.status, 201, r.text)

  // the cadre raises the case from the visit in the browser
  await cadre.goto(BASE + '/#/cases')
  await settle(cadre)
  await cadre.locator('[data-test="case-create"]').click()
  await pickRemote(cadre, cadre.locator('[data-test="case-household"]').first(), no)
  await choose(cadre, 'case-source', '走访发现')
  await choose(cadre, 'case-visit', '户主务工受伤')
  await pickDate(cadre, 'case-lead-on', lead)
  await cadre.locator('[data-test="case-save"]').click()
  await cadre.locator('[data-test="case-page"] [data-test="case-state"]').waitFor()
  await settle(cadre)
  assert.match(await cadre.locator('[data-test="case-state"]').innerText(), /发现风险/)
  assert.match(await cadre.locator('[data-test="case-facts"]').innerText(), /走访发现[\s\S]*因意外事故/)
  const caseUrl = cadre.url()
  const caseId = caseUrl.match(/cases\/(\d+)/)[1]

  // 民主评议 and 公示 by the village team
  await takeStep(cadre, '民主评议', async () => {
    await pickDate(cadre, 'step-date', daysAgo(239))
    await cadre.locator('[data-test="step-participants"] input, input[data-test="step-participants"]').first().fill('村两委 5 人、村民代表 8 人')
  })
  await cadre.waitForFunction(() => /已民主评议/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  await takeStep(cadre, '公示', async () => { await pickDate(cadre, 'step-date', daysAgo(238)) })
  await cadre.waitForFunction(() => /公示中/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  assert.deepEqual(await errorsShown(cadre), [])

  // 乡镇审核
  await sec.goto(`${BASE}/#/cases/${caseId}`)
  await settle(sec)
  await takeStep(sec, '乡镇审核', async () => { await pickDate(sec, 'step-date', daysAgo(232)) })
  await sec.waitForFunction(() => /乡镇已审核/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))

  // 县级审定: taken into monitoring as 突发严重困难户
  const org = await newPage(browser, DESKTOP)
  await login(org, 'ruijin_rrb') // 5.7: the county rural revitalization department decides
  await org.goto(`${BASE}/#/cases/${caseId}`)
  await settle(org)
  await takeStep(org, '县级审定', async () => {
    await pickDate(org, 'step-date', daysAgo(231))
    await choose(org, 'step-category', '突发严重困难户')
  })
  await org.waitForFunction(() => /已纳入监测/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  // the closure criteria show: no measure yet, income below the threshold
  const criteria = org.locator('[data-test="closure-criterion"]')
  await criteria.first().waitFor()
  assert.equal(await criteria.count(), 5)
  assert.match(await org.locator('[data-test="case-closure"]').innerText(), /尚未全部满足/)

  // a measure, by the cadre
  await cadre.reload()
  await settle(cadre)
  await takeStep(cadre, '帮扶措施', async () => {
    await pickDate(cadre, 'step-date', daysAgo(10))
    await choose(cadre, 'step-measure-type', '就业帮扶')
    await cadre.locator('[data-test="step-content"] textarea, textarea[data-test="step-content"]').first().fill('推荐到工业园区就业，月工资 3500 元')
    await cadre.locator('[data-test="step-responsible"] input, input[data-test="step-responsible"]').first().fill('第一书记')
  })
  await cadre.locator('[data-test="case-measures"]').waitFor()

  // 风险消除 by its procedure (5.7): the county cannot close from 已纳入监测 — its turn comes last
  await org.reload()
  await settle(org)
  assert.match(await org.locator('[data-test="case-closure-timeline"]').innerText(), /入户核实[\s\S]*由驻村工作队或乡镇办理/)
  assert.equal(await org.locator('[data-test="case-step-form"]').count(), 0)
  // the team: 入户核实, 民主评议, 公示, each from the closure timeline's button
  await cadre.reload()
  await settle(cadre)
  await cadre.locator('[data-test="closure-take"]').click()
  await takeStep(cadre, '入户核实', async () => {
    await pickDate(cadre, 'step-date', daysAgo(8))
    await cadre.locator('[data-test="step-verifiers"] input, input[data-test="step-verifiers"]').first().fill('第一书记、村监督委员会主任')
    await cadre.locator('[data-test="step-note"] textarea, textarea[data-test="step-note"]').first().fill('户主已在工业园区稳定务工')
  })
  await cadre.waitForFunction(() => /风险消除已入户核实/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  await takeStep(cadre, '民主评议', async () => {
    await pickDate(cadre, 'step-date', daysAgo(7))
    await cadre.locator('[data-test="step-participants"] input, input[data-test="step-participants"]').first().fill('村两委 5 人、村民代表 8 人')
  })
  await cadre.waitForFunction(() => /风险消除已民主评议/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  await takeStep(cadre, '公示', async () => { await pickDate(cadre, 'step-date', daysAgo(6)) })
  await cadre.waitForFunction(() => /风险消除公示中/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  assert.deepEqual(await errorsShown(cadre), [])

  // confirming too early: the county is refused and sees which criterion fails
  await org.reload()
  await settle(org)
  await takeStep(org, '审核确认', async () => {})
  await org.locator('.el-message--error').first().waitFor()
  assert.match(await org.locator('[data-test="case-closure"]').innerText(), /✘\s*人均纯收入/)
  assert.match(await org.locator('[data-test="case-state"]').innerText(), /风险消除公示中/)

  // the township records this year's income above the threshold (5.8: the registry)
  const cur = await (await sec.request.get(`${BASE}/api/v1/households/${household.id}`)).json()
  r = await call(sec, 'PATCH', `/households/${household.id}`, { version: cur.version, income: { year, per_capita: 12800 } })
  assert.equal(r.status, 200, r.text)

  // now every criterion holds and the county confirms the closure
  await org.reload()
  await settle(org)
  assert.match(await org.locator('[data-test="case-closure"]').innerText(), /均已满足/)
  await takeStep(org, '审核确认', async () => {})
  await org.waitForFunction(() => /风险已消除/.test(document.querySelector('[data-test="case-state"]')?.textContent || ''))
  const steps = await org.locator('[data-test="case-step"]').allInnerTexts()
  assert.deepEqual(steps.map(s => s.split('→')[0].trim()), ['发现风险', '民主评议', '公示', '乡镇审核', '县级审定', '帮扶措施',
    '风险消除入户核实', '风险消除民主评议', '风险消除公示', '风险消除审核确认'])
  assert.match(await org.locator('[data-test="case-closure-timeline"]').innerText(), /风险消除审核确认/)
  assert.deepEqual(await errorsShown(org).then(e => e.filter(m => !/风险消除条件/.test(m))), [])
  const done = await (await org.request.get(`${BASE}/api/v1/households/${household.id}`)).json()
  assert.equal(done.monitored, false)
  for (const p of [cadre, sec, org]) await p.context().close()
})
