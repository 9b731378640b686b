// Who is logged in: the reply of GET/POST /api/v1/session.
import { reactive } from 'vue'
import { api, setCsrf, setUnauthenticatedHandler } from './api.js'

export const session = reactive({ loaded: false, user: null, menu: [] })

function apply(reply) {
  session.user = reply ? reply.user : null
  session.menu = reply && Array.isArray(reply.menu) ? reply.menu : []
  if (reply && reply.csrf_token) setCsrf(reply.csrf_token)
  session.loaded = true
}

export function clearSession() {
  session.user = null
  session.menu = []
  session.loaded = true
  setCsrf(null)
}

setUnauthenticatedHandler(clearSession)

export async function loadSession() {
  try {
    apply(await api.get('/session', null, { silent: true, noAuthRedirect: true }))
  } catch (e) {
    if (e.status === 401) clearSession()
    else { session.loaded = true; throw e }
  }
  return session.user
}

export async function login(username, password) {
  const reply = await api.post('/session', { username, password }, { silent: true, noAuthRedirect: true })
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
