// 补助核算 (3.4b): amounts come in fen (integers) and are shown in yuan with two decimals.
export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  const n = Number(fen)
  const sign = n < 0 ? '-' : ''
  const a = Math.abs(n)
  const whole = Math.floor(a / 100).toLocaleString('zh-CN')
  return `${sign}${whole}.${String(a % 100).padStart(2, '0')}`
}
// "2026-05" → "2026年5月"
export function monthName(m) { return m ? `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月` : '' }
export const SHEET_STATUS = { draft: ['待确认', 'warning'], confirmed: ['已确认', 'success'] }
// The month just ended, "YYYY-MM", from the server's today
export function lastMonth(today) {
  const y = Number(today.slice(0, 4)); const m = Number(today.slice(5, 7))
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}
// The formula of the sheet in words (policy allowance_rules, a local rule)
export function ruleWords(r, minDays) {
  if (!r) return ''
  const leave = r.leave_paid_percent ? `请假天数按日标准的 ${r.leave_paid_percent}% 计发` : '请假天数不计发'
  return `生活补助每在村一天 ${yuan(r.living_daily_fen)} 元，${leave}，每月最多 ${yuan(r.living_monthly_cap_fen)} 元；` +
    `当月在村天数达到要求（每月 ${minDays} 天，按在岗和请假天数折算）的，发交通补贴 ${yuan(r.transport_monthly_fen)} 元。`
}
