// 考核 (年度考核 / 任期考核): names shared by the round page, the evaluation page and the printed
// 考核登记表.
export const RESULTS = [
  { value: 'excellent', label: '优秀', type: 'success' },
  { value: 'competent', label: '称职', type: 'primary' },
  { value: 'basically_competent', label: '基本称职', type: 'warning' },
  { value: 'incompetent', label: '不称职', type: 'danger' }
]
export const STEPS = {
  report: '待本人述职',
  votes: '待民主测评',
  township: '待乡镇党委意见',
  unit: '待派出单位意见',
  result: '待县委组织部定等次'
}
export const DUTIES = {
  party_building: '建强村党组织',
  consolidation: '巩固脱贫成果',
  industry: '发展乡村产业',
  construction: '推进乡村建设',
  governance: '抓好乡村治理'
}
export function resultType(code) {
  const r = RESULTS.find(x => x.value === code)
  return r ? r.type : 'info'
}
export function shortVillage(name) {
  return (name || '').replace(/村民委员会$/, '村').replace(/居民委员会$/, '社区')
}
export function stepLabel(e) {
  if (e.round_status === 'confirmed') return '已确认'
  if (!e.waiting) return '已定等次，待确认'
  return STEPS[e.waiting] || e.waiting
}
