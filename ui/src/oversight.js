// Shared bits of the pages for the officials who watch over the village cadres: 全覆盖分析 (2.7),
// 在村情况 (2.1, 3.6), 纪律与提醒 (2.5, 2.7, 3.6) and 考评计分 (2.6). Figures are shown per
// place, per unit or per post, never as a leaderboard of people (整治形式主义为基层减负若干规定).
import { session } from './session.js'
import { thisMonth, todayCST as todayISO } from './clock.js'

// This month and today in China Standard Time, by the server's clock (clock.js).
export { thisMonth, todayISO }
// el-date-picker: a month after this one cannot be chosen
export function futureMonth(d) {
  const m = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
  return m > thisMonth()
}
export function futureDay(d) {
  const s = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
  return s > todayISO()
}

export function pct(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—'
  const f = 10 ** digits
  return Math.round(Number(x) * 100 * f) / f + '%'
}
// a score part with its sign: +0, −5.8, +2
export function signed(x) {
  const n = Number(x) || 0
  const r = Math.round(n * 10) / 10
  return (r < 0 ? '−' : '+') + Math.abs(r)
}

// Village names without the suffix, so that the tables stay narrow.
export function shortPlace(name) { return name ? String(name).replace(/村民委员会$|村委会$/, '村').replace(/居民委员会$/, '社区') : '' }

// ---- who may press which button (the server has the last word) ----
const role = () => (session.user && session.user.role) || ''
const TOWNSHIP = ['township_secretary', 'township_deputy']
const DEPT = ['org_city', 'org_county', 'rrb_city', 'rrb_county']
const UNIT = ['unit_leader', 'unit_deputy', 'unit_hr']
// records violations, secondments and reminders (PERM_DISCIPLINE_WRITE)
export function canRecord() { return TOWNSHIP.includes(role()) || DEPT.includes(role()) }
// records the accountability (追责问责, 2.5): county or city organization department / RRB
export function canDecide() { return DEPT.includes(role()) }
// acknowledges the feedback (签收, 2.5): the dispatching unit
export function isUnitUser() { return UNIT.includes(role()) }
export function isCadreUser() { return role() === 'cadre' }
// region officials above the township pick a county, township or village
export function picksRegion() { return DEPT.includes(role()) || TOWNSHIP.includes(role()) }

// The five duties (5.1), in the order of the policy; short names for the small numbers.
export const DUTIES = [
  { code: 'party_building', name: '建强村党组织', short: '党建' },
  { code: 'consolidation', name: '巩固脱贫成果', short: '巩固' },
  { code: 'industry', name: '发展乡村产业', short: '产业' },
  { code: 'construction', name: '推进乡村建设', short: '建设' },
  { code: 'governance', name: '抓好乡村治理', short: '治理' }
]

export const STAY_TAG = { good: 'success', fair: 'warning', poor: 'danger' }

export const VIOLATION_STATUS = {
  feedback: { label: '已反馈单位', type: 'danger' },
  acknowledged: { label: '单位已确认', type: 'warning' },
  decided: { label: '已追责问责', type: 'info' }
}

// level order, to keep the crumbs below the user's root
export const LEVEL_RANK = { province: 1, city: 2, county: 3, township: 4, village: 5 }

// A rate's colour by the rule it is judged against (issue 14), never green whatever its value: 'ok' when
// it reaches the policy's target (2.1 asks the minimum of every cadre: target 1), 'bad' below; '' when
// there is no figure.
export function rateTone(rate, target = 1) {
  if (rate === null || rate === undefined || Number.isNaN(Number(rate))) return ''
  return Number(rate) >= target ? 'ok' : 'bad'
}

// The verdict on a cadre's month against the minimum of 2.1 (GET /presence, /analysis rows). A month in
// progress is judged on the days gone by (the server's required_days): 进度正常 or 进度落后 while the
// whole month's minimum can still be met (reachable), 未达标 only once it cannot.
export function minimumVerdict(row) {
  if (!row.in_progress) return row.meets_minimum ? { type: 'success', text: '达标' } : { type: 'danger', text: '未达标' }
  if (!row.reachable) return { type: 'danger', text: '未达标' }
  return row.meets_minimum ? { type: 'success', text: '进度正常' } : { type: 'warning', text: '进度落后' }
}
