// Selection and assignment (notice 1.1, 1.3, 1.4, 1.5): ruijin_org opens a rotation batch; unit_leader1 reviews
// the ranked candidates (verdict tags, clause ids) and nominates an eligible one into a key village of 瑞金市
// that lacks a first secretary; ruijin_org and ruijin_rrb approve in 审批待办 → 在岗, both approvals in the timeline.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DESKTOP, PHONE, launch, newPage, login, settle, shot, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { today } from '../clock.mjs'

watchdog(300000)
let browser
before(async () => { browser = await launch() })
after(async () => { await closeAll(browser) })

// Dates in China Standard Time, as the server counts them.
function cst(offsetDays = 0) {
  return today(offsetDays)
}
async function fillDate(page, test, value) {
  const input = page.locator(`[data-test="${test}"] input, input[data-test="${test}"]`).first()
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}
// Picks the first enabled option of an el-select (options are teleported to the body).
async function pickFirst(page, test) {
  await page.locator(`[data-test="${test}"]`).first().click()
  const opt = page.locator('.el-select-dropdown:visible .el-select-dropdown__item:not(.is-disabled)').first()
  await opt.waitFor({ state: 'visible' })
  const text = await opt.innerText()
  await opt.click()
  return text
}

let village = null      // a key village of 瑞金市 without a first secretary
let assignmentId = null
let cadreName = ''

test('ruijin_org opens a rotation batch', { timeout: 90000 }, async () => {
  const page = await newPage(browser)
  await login(page, 'ruijin_org')
  const cov = await (await page.request.get(`${BASE}/api/v1/coverage`)).json()
  village = cov.villages_without_first_secretary.find(v => v.village_code.startsWith('360781'))
  assert.ok(village, 'a key village of 瑞金市 without a first secretary')

  await page.locator('[data-test="menu"] [data-test="menu-assignments"]').click()
  await page.locator('[data-test="batch-create"]').click()
  const dlg = page.locator('[data-test="batch-dialog"]')
  await dlg.waitFor({ state: 'visible' })
  await page.locator('[data-test="batch-name"] input, input[data-test="batch-name"]').first().fill('e2e 集中轮换 ' + cst())
  await fillDate(page, 'batch-opens', cst(-1))
  await fillDate(page, 'batch-closes', cst(30))
  await fillDate(page, 'batch-term', cst(0)) // the term starts today: approved posts take effect at once (1.5)
  await page.locator('[data-test="batch-save"]').click()
  await page.locator('.el-message--success').first().waitFor()
  const table = page.locator('[data-test="batches-table"]')
  const rows = table.locator('.el-table__body .el-table__row')
  await rows.filter({ hasText: 'e2e 集中轮换' }).first().waitFor()
  assert.match(await rows.filter({ hasText: 'e2e 集中轮换' }).first().innerText(), /轮换中/)
  assert.deepEqual(await errorsShown(page), [])
  await page.context().close()
})

test('unit_leader1 reviews candidates and nominates an eligible one', { timeout: 120000 }, async () => {
  assert.ok(village, 'needs the batch test')
  for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const page = await newPage(browser, viewport)
    await login(page, 'unit_leader1')
    await page.goto(BASE + '/#/candidates')
    const table = page.locator('[data-test="cand-table"]')
    await table.locator('[data-test^="verdict-"]').first().waitFor()
    await settle(page)
    const verdicts = await table.locator('[data-test^="verdict-"]').allInnerTexts()
    assert.ok(verdicts.includes('符合条件'), `an eligible candidate: ${verdicts}`)
    assert.ok(verdicts.some(v => v === '需说明理由并经审批' || v === '不得选派'), `a non-eligible candidate: ${verdicts}`)
    assert.equal(verdicts[0], '符合条件', 'eligible candidates are ranked first')
    // Every reason with its clause id: expand a row (desktop) or open the card's details (phone).
    if (name === 'desktop') {
      await table.locator('.el-table__expand-icon').last().click()
    } else {
      await table.locator('[data-test="cand-toggle"]').last().click()
    }
    const clauses = await table.locator('[data-test="reason-clause"]').allInnerTexts()
    for (const c of ['1.3a', '1.3b', '1.3c', '1.3d', '1.9']) assert.ok(clauses.includes(c), `clause ${c} in ${clauses}`)
    assert.ok(await table.locator('[data-test="reason-parameter"]').count() > 0, 'parameters shown')
    assert.deepEqual(await errorsShown(page), [])
    await shot(page, `candidates-${name}`)
    if (name === 'phone') { await page.context().close(); continue }

    // Nominate into the key village.
    await page.goto(BASE + '/#/assignments')
    await page.locator('[data-test="nominate-open"]').click()
    const dlg = page.locator('[data-test="nominate-dialog"]')
    await dlg.waitFor({ state: 'visible' })
    await page.locator('[data-test="nom-village"] input, input[data-test="nom-village"]').first().fill(village.village_code)
    await page.locator('[data-test="nom-post"]').getByText('第一书记').click()
    await settle(page)
    cadreName = (await pickFirst(page, 'nom-cadre')).split('（')[0].replace(/^\d+\.\s*/, '').trim()
    const verdict = dlg.locator('[data-test="nom-verdict"] [data-test^="verdict-"]').first()
    assert.equal(await verdict.innerText(), '符合条件')
    await page.locator('[data-test="nom-submit"]').click()
    await page.waitForURL(/#\/assignments\/\d+/)
    assignmentId = Number(page.url().match(/assignments\/(\d+)/)[1])
    await page.locator('[data-test="assignment-status"]').waitFor()
    assert.equal(await page.locator('[data-test="assignment-status"]').innerText(), '待审批')
    assert.match(await page.locator('[data-test="assignment-timeline"]').innerText(), /提名/)
    assert.deepEqual(await errorsShown(page), [])
    await page.context().close()
  }
})

async function approve(username, viewport, shotName) {
  const page = await newPage(browser, viewport)
  await login(page, username)
  await page.goto(BASE + '/#/inbox')
  const table = page.locator('[data-test="inbox-table"]')
  await table.getByText(cadreName).first().waitFor()
  await settle(page)
  if (shotName) await shot(page, shotName + '-list')
  // The row of our nomination: its 审批 button.
  const row = table.locator('.el-table__row, [data-test="card"]').filter({ hasText: cadreName }).filter({ hasText: village.village_name })
  await row.locator('[data-test="inbox-open"]').click()
  const drawer = page.locator('[data-test="inbox-drawer"]')
  await drawer.locator('[data-test="decision-panel"]').waitFor()
  assert.match(await drawer.locator('[data-test="assignment-info"]').innerText(), /1\.3a/)
  // Rejecting without a comment is refused in the form.
  await drawer.locator('[data-test="decision-reject"]').click()
  await drawer.locator('[data-test="decision-comment-error"]').waitFor()
  await settle(page)
  if (shotName) await shot(page, shotName)
  await drawer.locator('[data-test="decision-approve"]').click()
  await drawer.locator('[data-test="inbox-decided"]').waitFor()
  const text = await drawer.locator('[data-test="inbox-decided"]').innerText()
  assert.deepEqual(await errorsShown(page), [])
  // A second decision of the same department is refused by the server (409).
  const detail = await (await page.request.get(`${BASE}/api/v1/assignments/${assignmentId}`)).json()
  return { page, text, detail }
}

test('ruijin_org approves in 审批待办', { timeout: 90000 }, async () => {
  assert.ok(assignmentId, 'needs the nomination')
  const { page, text, detail } = await approve('ruijin_org', DESKTOP, 'inbox-desktop')
  assert.match(text, /等待另一部门/)
  assert.equal(detail.org_decision, 'approved')
  assert.equal(detail.status, 'pending')
  await page.context().close()
})

test('ruijin_rrb approves → 在岗, timeline has both approvals', { timeout: 120000 }, async () => {
  assert.ok(assignmentId, 'needs the nomination')
  const { page, text, detail } = await approve('ruijin_rrb', PHONE, 'inbox-phone')
  assert.match(text, /在岗/)
  assert.equal(detail.status, 'active')
  await page.context().close()

  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const p = await newPage(browser, viewport)
    await login(p, 'ruijin_org')
    await p.goto(`${BASE}/#/assignments/${assignmentId}`)
    await p.locator('[data-test="assignment-status"]').waitFor()
    assert.equal(await p.locator('[data-test="assignment-status"]').innerText(), '在岗')
    const items = await p.locator('[data-test="timeline-item"]').allInnerTexts()
    assert.equal(items.filter(t => /组织部门同意/.test(t)).length, 1, items.join('\n'))
    assert.equal(items.filter(t => /乡村振兴部门同意/.test(t)).length, 1, items.join('\n'))
    assert.ok(items.some(t => /到岗/.test(t)), items.join('\n'))
    assert.equal(await p.locator('[data-test="org-decision"]').innerText(), '同意')
    assert.equal(await p.locator('[data-test="rrb-decision"]').innerText(), '同意')
    // Recall / adjustment are offered on an active post to the department.
    await p.locator('[data-test="assignment-recall"]').waitFor()
    await settle(p)
    await shot(p, `assignment-${name}`)
    if (name === 'phone') {
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`)
      await p.locator('[data-test="assignment-timeline"]').scrollIntoViewIfNeeded()
      await shot(p, `assignment-timeline-${name}`)
    }
    assert.deepEqual(await errorsShown(p), [])
    await p.context().close()
  }
})
