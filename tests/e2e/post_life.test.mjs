// A post's life as officials see it (1.1, 1.6, 1.7, 1.8): 覆盖与稳定 lists the recall's vacancy with
// its deadline and the term ending with nobody named; the handover panel counts the 15 days down and
// confirms the checklist without ending the period; the recall dialog asks for its effective day.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

const rowsOf = (name) => (name === 'desktop' ? '.el-table__body .el-table__row' : '[data-test="card"]')

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`ruijin_org sees the vacancy left by a recall and the term ending soon (${name})`, { timeout: 120000 }, async () => {
    const page = await newPage(browser, viewport)
    await login(page, 'ruijin_org')
    const vac = await (await page.request.get(`${BASE}/api/v1/vacancies?status=open`)).json()
    const recallVacancy = vac.items.find((v) => v.cause === 'recall')
    assert.ok(recallVacancy, 'the demo has a recall\'s vacancy')
    await page.goto(BASE + '/#/coverage')
    await page.locator('[data-test="vacancies-tab"]').click()
    const table = page.locator('[data-test="vacancies-table"]')
    const row = table.locator(rowsOf(name)).filter({ hasText: recallVacancy.village_name }).first()
    await row.waitFor()
    const text = await row.innerText()
    assert.match(text, /召回/)
    assert.match(text, /待补派/)
    assert.ok(text.includes(recallVacancy.deadline), text)
    assert.match(await page.locator('[data-test="vacancies-heading"]').innerText(), /1\.7/)
    await settle(page)
    await shot(page, `vacancies-${name}`)

    await page.locator('[data-test="ending-tab"]').click()
    const ending = page.locator('[data-test="ending-table"]')
    const er = ending.locator(rowsOf(name)).filter({ hasText: '尚无人选' }).first()
    await er.waitFor()
    assert.match(await page.locator('[data-test="ending-heading"]').innerText(), /60 日内任期届满/)
    await settle(page)
    await shot(page, `terms-ending-${name}`)
    assert.deepEqual(await errorsShown(page), [])
    if (name === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`)
    }
    await page.context().close()
  })
}

test('shazhouba_sec follows the 15-day handover: days left, the checklist, and the period that the checklist does not shorten', { timeout: 120000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'shazhouba_sec')
  const list = await (await page.request.get(`${BASE}/api/v1/assignments?status=handover&page_size=50`)).json()
  const incoming = list.items.find((x) => x.kind === 'rotation')
  assert.ok(incoming, 'the demo rotation is in handover')
  await page.goto(`${BASE}/#/assignments/${incoming.id}`)
  const panel = page.locator('[data-test="handover-panel"]')
  await panel.locator('[data-test="handover-period"]').waitFor()
  const period = await panel.locator('[data-test="handover-period"]').innerText()
  assert.match(period, /尚余 \d+ 天（含今日）/)
  assert.match(await panel.innerText(), /共 15 日/)
  assert.equal(await panel.locator('[data-test="handover-complete"]').innerText(), '确认交接清单')
  await settle(page)
  await shot(page, 'handover-desktop')
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})

test('ruijin_org opens the recall dialog: the effective day, today by default, and what it means', { timeout: 120000 }, async () => {
  const page = await newPage(browser, DESKTOP)
  await login(page, 'ruijin_org')
  const list = await (await page.request.get(`${BASE}/api/v1/assignments?status=active&village=360781104201&page_size=20`)).json()
  const member = list.items.find((x) => x.post === 'team_member')
  assert.ok(member, 'a team member in 360781104201')
  await page.goto(`${BASE}/#/assignments/${member.id}`)
  await page.locator('[data-test="assignment-recall"]').click()
  const dlg = page.locator('[data-test="adjust-dialog"]')
  await dlg.waitFor({ state: 'visible' })
  assert.match(await dlg.innerText(), /前一日为最后在岗日/)
  const picker = dlg.locator('.el-date-editor input').first()
  assert.match(await picker.inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'today by default')
  await settle(page)
  await shot(page, 'recall-dialog-desktop')
  await page.context().close()
})
