// Shared bits of the selection and assignment pages (notice section 1): the policy in force,
// who may press which button, and how verdicts, posts and states are shown.
import { reactive } from 'vue'
import { api } from './api.js'
import { session } from './session.js'
import { todayCST as today } from './clock.js'

// ---- the parameters in force (GET /api/v1/policy/values), fetched once per page load ----
export const policy = reactive({ loaded: false, doc: null })
let policyPromise = null
export function loadPolicy() {
  if (!policyPromise) {
    policyPromise = api.get('/policy/values', null, { silent: true })
      .then(d => { policy.doc = d; policy.loaded = true; return d })
      .catch(e => { policyPromise = null; throw e })
  }
  return policyPromise
}
// The value of a parameter (the latest version whose `from` is not after `date`).
export function param(id, date) {
  const ps = ((policy.doc && policy.doc.parameters) || []).filter(p => p.id === id)
  const d = date || today()
  const ok = ps.filter(p => !p.from || p.from <= d).sort((a, b) => (a.from || '').localeCompare(b.from || ''))
  const p = ok.length ? ok[ok.length - 1] : ps[0]
  return p ? p.value : undefined
}
export function policyList(id) { const v = param(id); return Array.isArray(v) ? v : [] }
export function policyName(id, code) {
  const x = policyList(id).find(i => i && i.code === code)
  return x ? x.name_zh : (code ?? '')
}

// ---- roles ----
export const ORG = ['org_city', 'org_county']
export const RRB = ['rrb_city', 'rrb_county']
export const DEPT = [...ORG, ...RRB]
export const UNIT = ['unit_leader', 'unit_deputy', 'unit_hr']
export const TOWNSHIP = ['township_secretary', 'township_deputy']
export function role() { return (session.user && session.user.role) || '' }
// The three administrators (三权分立): they alone see region codes, record versions and raw codes.
export const ADMINS = ['sys_admin', 'sec_admin', 'audit_admin']
export function isAdmin() { return ADMINS.includes(role()) }
export function isOrg() { return ORG.includes(role()) }
export function isDept() { return DEPT.includes(role()) }
export function isUnit() { return UNIT.includes(role()) }
export function isTownship() { return TOWNSHIP.includes(role()) }
// Who may edit the cadre registry, nominate, ask for an adjustment (the server has the last word).
export function canManageCadres() { return isUnit() || isDept() }

// ---- names ----
export const POSTS = [
  { value: 'first_secretary', label: '第一书记' },
  { value: 'team_leader', label: '工作队长' },
  { value: 'team_member', label: '工作队员' }
]
export function postName(v) { const x = POSTS.find(p => p.value === v); return x ? x.label : (v || '') }

export const VERDICTS = {
  eligible: { label: '符合条件', type: 'success' },
  needs_justification: { label: '需说明理由并经审批', type: 'warning' },
  blocked: { label: '不得选派', type: 'danger' }
}
export function verdictLabel(v) { return (VERDICTS[v] || {}).label || v || '' }
export function verdictType(v) { return (VERDICTS[v] || {}).type || 'info' }

export const STATUSES = [
  { value: 'pending', label: '待审批', type: 'warning' },
  { value: 'approved', label: '已批准，待到岗', type: 'warning' },
  { value: 'active', label: '在岗', type: 'success' },
  { value: 'handover', label: '交接过渡期', type: 'primary' },
  { value: 'rejected', label: '未同意', type: 'danger' },
  { value: 'withdrawn', label: '已撤回', type: 'info' },
  { value: 'ended', label: '已离任', type: 'info' }
]
export function statusLabel(v) { const x = STATUSES.find(s => s.value === v); return x ? x.label : (v || '') }
export function statusType(v) { const x = STATUSES.find(s => s.value === v); return x ? x.type : 'info' }

export const DECISIONS = { approved: { label: '同意', type: 'success' }, rejected: { label: '不同意', type: 'danger' } }
export function decisionLabel(v) { return v ? ((DECISIONS[v] || {}).label || v) : '待审批' }
export function decisionType(v) { return v ? ((DECISIONS[v] || {}).type || 'info') : 'info' }

export const PRIORITY = [
  { key: 'excellent', label: '优秀' },
  { key: 'young', label: '年轻' },
  { key: 'party_member', label: '党员' },
  { key: 'rural', label: '涉农' }
]

export const TIMELINE_ACTIONS = {
  nominate: '提名', approve: '同意', reject: '不同意', withdraw: '撤回', rejected: '未同意',
  approve_all: '两部门均已同意', take_effect: '到岗', handover: '进入交接过渡期', handover_done: '交接完成',
  handover_confirmed: '交接清单确认', end: '离任', adjustment: '申请调整', recall: '召回'
}
export function actionLabel(a) { return TIMELINE_ACTIONS[a] || a || '' }

// Today in China Standard Time, YYYY-MM-DD, by the server's clock.
export { today }
