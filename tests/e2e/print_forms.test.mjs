// Printed forms (issue 12 part 4): 驻村干部选派（调整）审批表 from a nomination, 交接清单 (1.6) from a
// handover and its checklist, 请假审批单 from a leave and its approval. Each opens from the 打印 button
// of its record's page in a tab of its own, is saved as a PDF by headless Chromium (page.pdf, A4)
// and read back (pdf_text.mjs): one page, the names, the dates, the approvals and the signature and
// seal blanks as the record holds them. A screenshot of each at A4 size goes to the shots.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import { BASE, DESKTOP, SHOTS, launch, newPage, login, settle, errorsShown, closeAll, watchdog } from './helpers.mjs'
import { fold, pdfText } from './pdf_text.mjs'
import { api, login as apiLogin } from '../api/lib.mjs'

watchdog(300000)
const A4 = { width: 794, height: 1123 } // 210 × 297 mm at 96 px per inch
const norm = (s) => fold(s).replace(/\s+/g, '')
let browser, page
before(async () => {
  browser = await launch()
  page = await newPage(browser, DESKTOP)
  await login(page, 'ruijin_org')
})
after(async () => { await closeAll(browser) })

const get = async (p) => {
  const r = await page.request.get(BASE + '/api/v1' + p)
  assert.equal(r.status(), 200, await r.text())
  return r.json()
}

// Clicks the 打印 button, takes the tab it opens, waits for the form, saves it as PDF and as an A4
// screenshot; returns the PDF's text.
async function printFrom(button, formTest, name) {
  const [tab] = await Promise.all([page.context().waitForEvent('page'), button.click()])
  tab.problems = []
  tab.on('pageerror', e => tab.problems.push(e.message))
  await tab.locator(`[data-test="${formTest}"]`).waitFor()
  await tab.setViewportSize(A4)
  await settle(tab)
  fs.mkdirSync(SHOTS, { recursive: true })
  await tab.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
  const file = path.join(SHOTS, `${name}.pdf`)
  await tab.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true })
  assert.deepEqual(tab.problems, [])
  await tab.close()
  const pdf = pdfText(file)
  assert.equal(pdf.pages, 1, `${name}: one A4 page, not ${pdf.pages}`)
  return norm(pdf.text)
}

function has(text, ...parts) {
  for (const p of parts) assert.ok(text.includes(norm(p)), `PDF lacks "${p}":\n${text}`)
}

test('审批表 of a nomination: the cadre, the post, the term, both departments\' decisions, blanks to sign', { timeout: 120000 }, async () => {
  const list = await get('/assignments?status=handover&page_size=50')
  const a = list.items.find(x => x.org_decision === 'approved' && x.rrb_decision === 'approved')
  assert.ok(a, 'the demo holds an approved nomination in its handover')
  const c = await get('/cadres/' + a.cadre_id)
  await page.goto(`${BASE}/#/assignments/${a.id}`)
  await settle(page)
  const text = await printFrom(page.locator('[data-test="assignment-print"]'), 'print-appointment', 'print-appointment')
  has(text, '驻村干部选派（调整）审批表', a.cadre_name, c.sex, c.birth_date.slice(0, 7), a.unit_name, a.village_name,
    a.post_name, `${a.start_date} 至 ${a.term_end}`,
    '县（市、区）委组织部意见', '县（市、区）乡村振兴局意见', '派出单位意见', '乡镇党委意见', '签字：', '（盖章）', '年月日')
  // both decisions as recorded
  assert.equal((text.match(/同意/g) || []).length >= 2, true, text)
  assert.deepEqual(await errorsShown(page), [])
})

test('交接清单 of the handover: both cadres, the 15 days, each item as ticked, blanks to sign', { timeout: 120000 }, async () => {
  const list = await get('/assignments?status=handover&page_size=50')
  const a = list.items.find(x => x.org_decision === 'approved')
  const full = await get('/assignments/' + a.id)
  const h = await get('/handovers/' + full.handover_id)
  await page.goto(`${BASE}/#/assignments/${a.id}`)
  await page.locator('[data-test="handover-period"]').waitFor()
  const text = await printFrom(page.locator('[data-test="handover-print"]'), 'print-handover', 'print-handover')
  has(text, '驻村干部工作交接清单', h.incoming.cadre_name, h.outgoing.cadre_name, `${h.starts_on} 至 ${h.ends_on}`,
    '移交人（原驻村干部）', '接收人（新任驻村干部）', '村党组织意见', '（盖章）')
  for (const [i, x] of h.checklist.entries()) has(text, `${i + 1}${x.item}${x.done ? '已交接' : '未交接'}`)
})

test('请假审批单 of a leave: who, when, why, the township\'s approval with its name and time, 销假', { timeout: 120000 }, async () => {
  const leaves = await get('/leaves?status=closed&page_size=50')
  const l = leaves.items.find(x => x.decided_by_name && x.comment)
  assert.ok(l, 'the demo holds an approved leave, closed')
  await page.goto(`${BASE}/#/leaves`)
  await page.locator('[data-test="leaves-tabs"] .el-tabs__item').filter({ hasText: '全部请假' }).click()
  const row = page.locator('[data-test="leave-all"] .el-table__row').filter({ hasText: l.cadre_name }).first()
  await row.waitFor()
  const text = await printFrom(row.locator('[data-test="leave-print"]'), 'print-leave', 'print-leave')
  has(text, '驻村干部请假审批单', l.cadre_name, l.unit_name, `${l.start_date} 至 ${l.end_date}，共 ${l.days} 天`, l.reason,
    l.type_name, '乡镇党委审批意见', '同意', l.comment, `审批人：${l.decided_by_name}`, l.decided_at.replace('T', ' ').slice(0, 16),
    `${l.returned_on} 返岗销假`, '请假人', '签字：', '（盖章）')
})

test('审批表 of an adjustment\'s replacement names the reason of 1.2, the written explanation and the cadre replaced', { timeout: 120000 }, async () => {
  // the unit asks to adjust one of its first secretaries (not the demo cadre's post) and names a replacement
  const unit = await apiLogin('unit_leader1')
  const posts = (await api('GET', '/api/v1/assignments?status=active&page_size=200', { session: unit })).body.items
  const outgoing = posts.find(x => x.post === 'first_secretary' && x.village_code !== '360781104200')
  assert.ok(outgoing, 'the demo unit has another first secretary in post')
  const adj = await api('POST', `/api/v1/assignments/${outgoing.id}/adjustment`, { session: unit, body: { reason: 'unit_change', explanation: '原单位机构改革，岗位调整' } })
  assert.equal(adj.status, 201, adj.text)
  const cands = (await api('GET', `/api/v1/candidates?unit=${unit.user.unit_id}&post=first_secretary`, { session: unit })).body.items
  const pick = cands.find(x => x.verdict === 'eligible' && !x.reasons.some(r => r.clause === '1.9' && r.outcome !== 'eligible'))
  assert.ok(pick, 'an eligible candidate')
  const rep = await api('POST', '/api/v1/assignments', { session: unit, body: { cadre_id: pick.id, unit_id: unit.user.unit_id, adjustment_id: adj.body.id } })
  assert.equal(rep.status, 201, rep.text)
  await page.goto(`${BASE}/#/assignments/${rep.body.id}`)
  await settle(page)
  const text = await printFrom(page.locator('[data-test="assignment-print"]'), 'print-appointment', 'print-adjustment')
  has(text, '驻村干部调整审批表', '调整原因', '工作单位变动', '书面说明：原单位机构改革，岗位调整；',
    `被调整干部：${outgoing.cadre_name}（${outgoing.post_name}，${outgoing.start_date} 起）`, pick.name, `${unit.user.display_name}提名`)
  assert.ok(!text.includes('unit_leader1'), 'who acted is named, not their user name')
})
