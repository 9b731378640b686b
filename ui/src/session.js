// Who is logged in: the reply of GET/POST /api/v1/session.
import { reactive } from 'vue'
import { api, setAnswerHandler, setCsrf, setUnauthenticatedHandler } from './api.js'
import { setServerClock } from './clock.js'

export const session = reactive({ loaded: false, user: null, menu: [], offline: false })

// A village cadre may reload 我的驻村 without a signal: the last session reply (user and menu,
// never the token) is kept in localStorage for cadres only and used when the server cannot be
// reached. Any answer of the server (including 401) replaces or clears it.
const OFFLINE_KEY = 'zc_session_offline'
function keepOffline(reply) {
  try {
    if (reply && reply.user && Array.isArray(reply.menu) && reply.menu.includes('checkin')) {
      localStorage.setItem(OFFLINE_KEY, JSON.stringify({ user: reply.user, menu: reply.menu }))
    } else localStorage.removeItem(OFFLINE_KEY)
  } catch (e) { /* storage blocked */ }
}
function offlineCopy() {
  try { const v = JSON.parse(localStorage.getItem(OFFLINE_KEY) || 'null'); return v && v.user ? v : null } catch (e) { return null }
}

function apply(reply) {
  session.user = reply ? reply.user : null
  session.menu = reply && Array.isArray(reply.menu) ? reply.menu : []
  session.offline = false
  if (reply && reply.csrf_token) setCsrf(reply.csrf_token)
  session.loaded = true
  setServerClock(reply)
  keepOffline(reply)
}

export function clearSession() {
  session.user = null
  session.menu = []
  session.offline = false
  session.loaded = true
  setCsrf(null)
  keepOffline(null)
}

setUnauthenticatedHandler(clearSession)

// The server answered: a page running on the saved copy fetches the real session (once at a time).
let reloading = false
setAnswerHandler(() => {
  if (!session.offline || reloading) return
  reloading = true
  loadSession().catch(() => { /* still no server */ }).finally(() => { reloading = false })
})

// Counts the logins: a session probe sent before a login (the login page shows without waiting for
// it) must not undo that login with its late 401.
let logins = 0

export async function loadSession() {
  const before = logins
  try {
    const reply = await api.get('/session', null, { silent: true, noAuthRedirect: true })
    if (logins === before) apply(reply)
  } catch (e) {
    if (logins !== before) return session.user
    if (e.status === 401) clearSession()
    else if (e.status === 0 && offlineCopy()) {
      const c = offlineCopy()
      session.user = c.user
      session.menu = c.menu
      session.offline = true
      session.loaded = true
    } else { session.loaded = true; throw e }
  }
  return session.user
}

// The password: either the session ({user}), or, for an account with 两步验证 on,
// {pending_token} (the server's reply has no user yet) and the code goes to loginSecondStep.
export async function login(username, password) {
  logins++
  const reply = await api.post('/session', { username, password }, { silent: true, noAuthRedirect: true })
  if (!reply.user && reply.pending_token) return { pending_token: reply.pending_token }
  apply(reply)
  return reply.user
}

// The second step: a 6-digit code of the authenticator, or a recovery code ({code} or {recovery_code}).
export async function loginSecondStep(pendingToken, answer) {
  const reply = await api.post('/session/totp', { pending_token: pendingToken, ...answer }, { silent: true, noAuthRedirect: true })
  apply(reply)
  return reply.user
}

export async function logout() {
  try { await api.del('/session', { silent: true, noAuthRedirect: true }) } catch (e) { /* gone anyway */ }
  clearSession()
}

export const REGION_EDIT_ROLES = ['org_city', 'org_county', 'rrb_city', 'rrb_county']
export function canEditRegions() {
  return !!session.user && REGION_EDIT_ROLES.includes(session.user.role)
}
