// Shared bits of 经费保障 (3.4, 3.5), 培训管理 (4.1–4.5) and 表彰激励 (3.7): who may press which
// button (the server has the last word), the years to choose from, money in yuan.
import { session } from './session.js'
import { thisYear } from './clock.js'

const role = () => (session.user && session.user.role) || ''
const DEPT = ['org_city', 'org_county', 'rrb_city', 'rrb_county']
const UNIT_FUNDS = ['unit_leader', 'unit_hr']
// PERM_FUNDS_WRITE: the county and city departments, and the unit for its own teams
export function canFunds() { return DEPT.includes(role()) || UNIT_FUNDS.includes(role()) }
export function isUnitRole() { return ['unit_leader', 'unit_deputy', 'unit_hr'].includes(role()) }
// PERM_TRAINING_WRITE and PERM_COMMENDATION_WRITE: the county and city departments
export function canTraining() { return DEPT.includes(role()) }
export function canCommend() { return DEPT.includes(role()) }
export function isRegionRole() { return session.user && !!session.user.region_code }

// This year in China Standard Time (the server's clock) and the years before it
export { thisYear }
export function yearOptions(n = 4) { const y = thisYear(); return Array.from({ length: n }, (_, i) => y - i) }

export function money(x) {
  const n = Number(x) || 0
  return n.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 })
}
export const POSTS = { first_secretary: '第一书记', team_leader: '工作队长', team_member: '队员' }
