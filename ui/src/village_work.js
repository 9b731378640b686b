// 监测帮扶 (5.7), 驻村工作 (5.1–5.7) and 帮扶计划 (5.9, 5.10): names, tags and who may do what
// (the server checks again; the UI only hides what the caller cannot do).
import { session } from './session.js'
import { policyList } from './selection.js'

const role = () => (session.user && session.user.role) || ''

export const CASE_STATES = {
  found: { label: '发现风险', type: 'warning' },
  reviewed: { label: '已民主评议', type: 'warning' },
  noticed: { label: '公示中', type: 'warning' },
  checked: { label: '乡镇已审核', type: 'warning' },
  monitored: { label: '已纳入监测', type: 'danger' },
  close_verified: { label: '风险消除已入户核实', type: 'danger' },
  close_reviewed: { label: '风险消除已民主评议', type: 'danger' },
  close_noticed: { label: '风险消除公示中', type: 'danger' },
  dismissed: { label: '不纳入监测', type: 'info' },
  closed: { label: '风险已消除', type: 'success' }
}
export const STEP_NAMES = {
  found: '发现风险', review: '民主评议', notice: '公示', objection: '公示异议', check: '乡镇审核', decide: '县级审定',
  measure: '帮扶措施', close: '审核确认（风险消除）', reopen: '返贫重新纳入',
  close_verify: '入户核实（风险消除）', close_review: '民主评议（风险消除）', close_notice: '公示（风险消除）'
}
// 风险消除 goes through the entry's kind of procedure (5.7, the national mechanism)
export const CLOSURE_STEPS = ['close_verify', 'close_review', 'close_notice', 'close']
export const CLOSURE_WHO = { close_verify: '驻村工作队或乡镇', close_review: '村（民主评议）', close_notice: '村（公示）', close: '县乡村振兴局' }
// who takes which step (5.7): the village team and the township record review, notice, objections and
// measures, and the closure's home check, review and notice; the township checks; the county rural
// revitalization department (not the organization department) decides, confirms a closure and reopens
export function canStep(action) {
  const r = role()
  if (action === 'check') return ['township_secretary', 'township_deputy'].includes(r)
  if (['decide', 'close', 'reopen'].includes(action)) return r === 'rrb_county'
  return ['cadre', 'township_secretary', 'township_deputy'].includes(r)
}
export function canRaise() { return ['cadre', 'township_secretary', 'township_deputy'].includes(role()) }
export function canVillageWork() { return ['cadre', 'township_secretary', 'township_deputy'].includes(role()) }
export function canPlanWrite() { return role() === 'cadre' }
export function canReview() { return ['unit_leader', 'unit_deputy'].includes(role()) }
export function canRecordResource() { return canVillageWork() || canReview() }
export function isCadre() { return role() === 'cadre' }

export const PLAN_STATES = {
  draft: { label: '草稿', type: 'info' },
  submitted: { label: '待审核', type: 'warning' },
  returned: { label: '已退回', type: 'danger' },
  approved: { label: '已批准', type: 'success' }
}
export const PLAN_KINDS = [
  { code: 'project', name_zh: '项目' }, { code: 'funds', name_zh: '资金' }, { code: 'people', name_zh: '人员' }, { code: 'other', name_zh: '其他' }
]
export function list(id, fallback = []) { const l = policyList(id); return l.length ? l : fallback }
export function nameOf(id, code) { return (list(id).find(x => x.code === code) || {}).name_zh || code || '' }
export function shortName(n) { return (n || '').replace(/(村|社区)?(民|居民)委员会$/, (m, a) => a || '村') }
export function yuan(v) { return v === null || v === undefined || v === '' ? '' : Number(v).toLocaleString('zh-CN') + ' 元' }
export function monthLabel(m) { return m ? `${Number(m.slice(5))}月` : '' }
