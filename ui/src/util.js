import { ref } from 'vue'

// Phone width (< 768 px): one shared flag for every component.
const mql = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(max-width: 767px)') : null
const mobile = ref(mql ? mql.matches : false)
if (mql) {
  const on = (e) => { mobile.value = e.matches }
  if (mql.addEventListener) mql.addEventListener('change', on)
  else if (mql.addListener) mql.addListener(on)
}
export function useMobile() { return mobile }

export const LEVELS = { province: '省', city: '市', county: '县', township: '乡镇', village: '村' }
export const UNIT_LEVELS = [
  { value: 'province', label: '省' },
  { value: 'city', label: '市' },
  { value: 'county', label: '县' },
  { value: 'township', label: '乡' }
]
export const UNIT_TYPES = [
  { value: 'party_gov', label: '党政机关' },
  { value: 'institution', label: '事业单位' },
  { value: 'soe', label: '国有企业' },
  { value: 'other', label: '其他' }
]
export function label(list, v) {
  const x = list.find(i => i.value === v)
  return x ? x.label : (v ?? '')
}
export function levelName(v) { return LEVELS[v] || v || '' }

// Times arrive as ISO text or as Unix seconds/milliseconds; show them in China Standard Time.
export function fmtTime(v) {
  if (v === null || v === undefined || v === '') return ''
  let d
  if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v)
  else if (/^\d+$/.test(v)) d = new Date(Number(v) < 1e12 ? Number(v) * 1000 : Number(v))
  else if (!/T.*(Z|[+-]\d\d:?\d\d)$/.test(v)) return String(v) // already local (CST) text, e.g. "2026-11-29 12:59:27"
  else d = new Date(v)
  if (isNaN(d.getTime())) return String(v)
  const t = new Date(d.getTime() + 8 * 3600 * 1000)
  const p = (n) => String(n).padStart(2, '0')
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`
}

export function fmtDetail(v) {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  try { return JSON.stringify(v) } catch (e) { return String(v) }
}
