// 上报材料 (issue #12 part 3): the figures of a report as rows of a table — shared by the report's
// page and its printed A4 form. Each row names the page (and clause) the figure comes from.
const pct = (v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(1)}%`)
const yuan = (v) => `${Number(v || 0).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`

export function figureRows(f) {
  if (!f) return []
  const p = f.presence || {}, d = f.duties || {}, u = f.funds || {}, t = f.training || {}
  const v = f.visits || {}, c = f.cases || {}, l = f.plans || {}
  return [
    { group: '在岗在村', label: '期末在岗驻村干部', value: `${f.cadres} 人`, clause: '2.1' },
    { group: '在岗在村', label: `在村天数达标（每月不少于 ${p.min_days} 天）`, value: `${p.meets} / ${p.posts} 人次，达标率 ${pct(p.rate)}`, clause: '2.1' },
    { group: '在岗在村', label: '合计在村天数', value: `${p.days_in_village} 天` },
    { group: '履职监督', label: '应完成履职事项', value: `${d.expected} 项`, clause: '2.2a' },
    { group: '履职监督', label: '已完成（其中按时）', value: `${d.done} 项（${d.on_time} 项）` },
    { group: '履职监督', label: '逾期未完成', value: `${d.missing} 项，完成率 ${pct(d.rate)}` },
    { group: '经费保障', label: `驻村工作队（${u.year} 年）`, value: `${u.teams} 个`, clause: '3.4a' },
    { group: '经费保障', label: '工作经费不足 / 一季度末未到位', value: `${u.below_min} 个 / ${u.late} 个` },
    { group: '经费保障', label: '工作经费到位', value: yuan(u.work_funds) },
    { group: '学习培训', label: `在岗干部已参训（${t.year} 年）`, value: `${t.trained} / ${t.cadres} 人，覆盖率 ${pct(t.rate)}`, clause: '4.4' },
    { group: '入户走访', label: '监测户、脱贫户已走访', value: `${v.visited} / ${v.households} 户，覆盖率 ${pct(v.rate)}`, clause: '5.6' },
    { group: '监测帮扶', label: '新发现监测线索 / 风险消除', value: `${c.opened} 条 / ${c.closed} 户`, clause: '5.7' },
    { group: '监测帮扶', label: '目前在办', value: `${c.open_now} 件` },
    { group: '帮扶计划', label: `年度帮扶计划（${l.year} 年）`, value: `${l.plans} 个，已审定 ${l.approved} 个，平均进度 ${pct(l.progress)}`, clause: '5.9' }
  ]
}

export const KINDS = [
  { value: 'monthly', label: '月报' },
  { value: 'half_year', label: '半年报' },
  { value: 'annual', label: '年报' }
]

export const STATE_TYPES = { unreported: 'danger', draft: 'info', submitted: 'warning', received: 'success', returned: 'danger' }

// The last period of a kind that has ended before today (YYYY-MM-DD), as the server names it.
export function lastPeriod(kind, today) {
  const y = Number(today.slice(0, 4)), m = Number(today.slice(5, 7))
  if (kind === 'annual') return String(y - 1)
  if (kind === 'half_year') return `${m > 6 ? y : y - 1}-H1`
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}
