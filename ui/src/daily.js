// Daily management (notice 2.1): the cadre's one-tap check-in with its offline queue, and the
// names shown by 我的驻村, 今日在岗 and 请销假. No photo, no ranking, no time-online tracking
// (2023/2024 rules against 指尖上的形式主义): one tap sends one position, that is all.
//
// The offline queue: a check-in that cannot be sent (no signal, server down) is kept in
// localStorage under a key per user, with its original `at` and client_id, and sent again —
// with a fresh sent_at — when the page loads, when the browser says it is online, and every 30 s.
// An item leaves the queue on 201 or 409 duplicate (already recorded); it stays on a network
// error, 5xx or an expired login; on any other 4xx (e.g. too_late) it is dropped with a note.
import { reactive } from 'vue'
import { api } from './api.js'
import { session, loadSession } from './session.js'
import { isoCST, todayCST } from './clock.js'

// ---- time: the server's clock (clock.js), days in China Standard Time ----
export { isoCST, todayCST }
// "13:53" from "2026-11-29 13:53:33" or an ISO instant.
export function hhmm(t) {
  if (!t) return ''
  const s = String(t)
  const m = /(\d\d:\d\d)(:\d\d)?(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$/.exec(s)
  if (m && !m[3]) return m[1]
  if (m && m[3]) return isoCST(new Date(s).getTime()).slice(11, 16)
  return s
}

// ---- a client_id: a UUID (crypto.randomUUID needs a secure context; fall back to getRandomValues) ----
export function newClientId() {
  if (typeof crypto !== 'undefined' && crypto.randomUUID) return crypto.randomUUID()
  const b = new Uint8Array(16)
  if (typeof crypto !== 'undefined' && crypto.getRandomValues) crypto.getRandomValues(b)
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256)
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
}

// ---- the browser's position ----
export class GeoError extends Error {
  constructor(kind, message) { super(message); this.kind = kind }
}
export function locate(timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      reject(new GeoError('unsupported', '此浏览器不支持定位，请换用手机自带浏览器或微信打开'))
      return
    }
    if (typeof window !== 'undefined' && window.isSecureContext === false) {
      reject(new GeoError('insecure', '定位需要通过 HTTPS 访问本系统，请联系管理员'))
      return
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve(p),
      (e) => {
        if (e.code === 1) reject(new GeoError('denied', '未获得定位权限：请在手机“设置”中允许浏览器使用位置信息，然后再点“打卡”'))
        else if (e.code === 3) reject(new GeoError('timeout', '定位超时（15 秒）：请到室外或信号较好的地方再试'))
        else reject(new GeoError('unavailable', '暂时无法获取位置：请打开手机的定位（GPS）开关，到室外再试'))
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 }
    )
  })
}

// ---- the queue ----
function userKey() { return (session.user && (session.user.username || session.user.id)) || 'anon' }
const QKEY = () => 'zc_checkin_queue:' + userKey()
const DKEY = () => 'zc_checkin_dropped:' + userKey()

function readJson(key) {
  try { const v = JSON.parse(localStorage.getItem(key) || '[]'); return Array.isArray(v) ? v : [] } catch (e) { return [] }
}
function writeJson(key, v) {
  try { localStorage.setItem(key, JSON.stringify(v)) } catch (e) { /* storage full or blocked */ }
}

// Shared, reactive: the page shows the count, the items and the notes.
export const queue = reactive({ items: [], dropped: [], sending: false, lastError: '', sent: 0 })
function refresh() { queue.items = readJson(QKEY()); queue.dropped = readJson(DKEY()) }
export function reloadQueue() { refresh() }

export function enqueue(body) {
  const items = readJson(QKEY())
  if (!items.some(i => i.client_id === body.client_id)) items.push({ ...body, queued_at: isoCST() })
  writeJson(QKEY(), items)
  refresh()
}
function removeItem(qk, clientId) {
  writeJson(qk, readJson(qk).filter(i => i.client_id !== clientId))
}
function addDropped(dk, item, message) {
  const d = readJson(dk)
  d.push({ client_id: item.client_id, at: item.at, message })
  writeJson(dk, d.slice(-20))
}
export function dismissDropped() { writeJson(DKEY(), []); refresh() }

export function isNetworkError(e) { return !e || e.status === 0 }
// Kept in the queue for a later try: no network, a fault of the server, an expired login.
function keepsForLater(e) { return isNetworkError(e) || e.status >= 500 || e.status === 401 }

// One POST of a check-in with sent_at = now. A missing/stale CSRF token (tab closed while
// offline) is fetched again once. An item with a `path` is another in-village act sent the same
// way — a household visit (遍访, 5.6: POST /visits) is a check-in too, so it shares this queue.
export async function postCheckin(body) {
  const { path = '/checkins', ...rest } = body
  const send = () => api.post(path, { ...rest, sent_at: isoCST() }, { silent: true, noAuthRedirect: true })
  try { return await send() } catch (e) {
    if (e.status === 403 && (e.code === 'csrf_required' || e.code === 'csrf_invalid')) {
      await loadSession()
      return await send()
    }
    throw e
  }
}

// Sends the queue in order; returns the number sent. Never throws.
let flushing = null
export function flushQueue() {
  if (flushing) return flushing
  flushing = (async () => {
    refresh()
    if (!queue.items.length) return 0
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return 0
    queue.sending = true
    let sent = 0
    const qk = QKEY(), dk = DKEY() // the user whose queue this is, even if the login expires meanwhile
    try {
      for (const item of readJson(qk)) {
        const { queued_at, ...body } = item // eslint-disable-line no-unused-vars
        try {
          await postCheckin(body)
          removeItem(qk, item.client_id)
          sent++
        } catch (e) {
          if (e.status === 409 && e.code === 'duplicate') { removeItem(qk, item.client_id); sent++; continue }
          if (keepsForLater(e)) {
            queue.lastError = e.status === 401 ? '登录已失效：请重新登录，暂存的打卡会在登录后自动补传' : ''
            break
          }
          removeItem(qk, item.client_id)
          addDropped(dk, item, e.message || ('补传失败（' + e.status + '）'))
        }
      }
      if (sent) queue.lastError = ''
    } finally {
      queue.sending = false
      queue.sent += sent
      if (QKEY() === qk) refresh()
    }
    return sent
  })().finally(() => { flushing = null })
  return flushing
}

// Starts the automatic sending (idempotent): now, on `online`, every 30 s.
let started = false
export function startQueue() {
  refresh()
  if (started || typeof window === 'undefined') { flushQueue(); return }
  started = true
  window.addEventListener('online', async () => {
    // a page opened offline runs on the saved session: fetch the real one (and its token) first
    if (session.offline) { try { await loadSession() } catch (e) { /* still no server */ } }
    flushQueue()
  })
  setInterval(() => { if (session.user && session.menu.includes('checkin')) flushQueue() }, 30000)
  flushQueue()
}

// ---- names ----
export const BOARD_STATUS = {
  present: { label: '在村', type: 'success' },
  leave: { label: '请假', type: 'warning' },
  absent: { label: '未到岗', type: 'danger' },
  rest: { label: '休息日', type: 'info' }
}
export const LEAVE_STATUS = {
  pending: 'warning', approved: 'success', refused: 'danger', cancelled: 'info', closed: 'info'
}
export function leaveTagType(row) { return row && row.overdue ? 'danger' : (LEAVE_STATUS[row && row.status] || 'info') }

export const DEFAULT_DUTIES = [
  { code: 'party_building', name_zh: '建强村党组织' },
  { code: 'consolidation', name_zh: '巩固脱贫成果' },
  { code: 'industry', name_zh: '发展乡村产业' },
  { code: 'construction', name_zh: '推进乡村建设' },
  { code: 'governance', name_zh: '抓好乡村治理' }
]

// "沙洲坝村民委员会" → "沙洲坝村" (the committee's official name is long on a phone).
export function shortVillage(name) { return name ? String(name).replace(/村民委员会$/, '村') : '' }

// Distance in words: 320 米 / 4.7 公里.
export function distanceText(m) {
  if (m === null || m === undefined || isNaN(m)) return ''
  return m < 1000 ? Math.round(m) + ' 米' : (m / 1000).toFixed(1) + ' 公里'
}
// Days in a date range, both ends included.
export function daysBetween(a, b) {
  if (!a || !b) return 0
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000) + 1
}

// Roles that decide leaves (2.4): the township party committee, the county org dept / RRB.
export const LEAVE_APPROVERS = ['township_secretary', 'township_deputy', 'org_county', 'rrb_county']
