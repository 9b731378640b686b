// Shared bits of the household pages (notice 5.6–5.8): 户类型 names, the 两不愁三保障 items, who may
// import, edit and reveal, and the risk types of the policy file.
import { session } from './session.js'
import { policyList } from './selection.js'

export const CATEGORIES = [
  { code: 'alleviated', name: '脱贫户', color: '#409eff' },
  { code: 'unstable', name: '脱贫不稳定户', color: '#f56c6c' },
  { code: 'marginal', name: '边缘易致贫户', color: '#e6a23c' },
  { code: 'sudden', name: '突发严重困难户', color: '#c0392b' },
  { code: 'general', name: '一般农户', color: '#909399' }
]
export function categoryName(code) { return (CATEGORIES.find(c => c.code === code) || {}).name || code || '' }
export function categoryTag(code) {
  return code === 'alleviated' ? 'primary' : code === 'general' ? 'info' : code === 'marginal' ? 'warning' : 'danger'
}

// 两不愁三保障 and 饮水安全 (5.6): the household's five items.
export const ITEMS = [
  { key: 'food_clothing', name: '不愁吃穿' },
  { key: 'schooling', name: '义务教育' },
  { key: 'medical', name: '基本医疗' },
  { key: 'housing', name: '住房安全' },
  { key: 'water', name: '饮水安全' }
]
export function itemText(v) { return v === 1 || v === true ? '有保障' : v === 0 || v === false ? '未保障' : '未核实' }
export function itemType(v) { return v === 1 || v === true ? 'success' : v === 0 || v === false ? 'danger' : 'info' }

// 返贫致贫风险类型 (5.7): from the policy file.
export const DEFAULT_RISKS = [
  { code: 'illness', name_zh: '因病' }, { code: 'disability', name_zh: '因残' }, { code: 'schooling', name_zh: '因学' },
  { code: 'disaster', name_zh: '因灾' }, { code: 'accident', name_zh: '因意外事故' }, { code: 'labour_loss', name_zh: '劳动力丧失' },
  { code: 'unstable_work', name_zh: '务工就业不稳' }, { code: 'industry_failure', name_zh: '产业失败' },
  { code: 'housing', name_zh: '住房安全' }, { code: 'water', name_zh: '饮水安全' }, { code: 'other', name_zh: '其他' }
]
export function riskTypes() { const l = policyList('risk_types'); return l.length ? l : DEFAULT_RISKS }
export function riskName(code) { return (riskTypes().find(r => r.code === code) || {}).name_zh || code }

const role = () => (session.user && session.user.role) || ''
// PERM_HOUSEHOLD_WRITE: the county and city departments and the township (import, edit)
export function canWriteHouseholds() {
  return ['org_city', 'org_county', 'rrb_city', 'rrb_county', 'township_secretary', 'township_deputy'].includes(role())
}
// PERM_HOUSEHOLD_REVEAL_ID: the rural revitalization bureaus (every read audited)
export function canRevealIds() { return ['rrb_city', 'rrb_county'].includes(role()) }
export function isCadre() { return role() === 'cadre' }

export function pct(r) { return r === null || r === undefined ? '' : (Math.round(r * 1000) / 10) + '%' }
export function yuan(v) { return v === null || v === undefined ? '' : Math.round(v).toLocaleString('zh-CN') + ' 元' }

// The first and last day of a month 'YYYY-MM' (China Standard Time dates).
export function monthRange(month) {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}
