// The one place that talks to the server (docs/API.md).
// - cookies stay same-origin; the CSRF token from the session reply goes with
//   every write (POST/PATCH/PUT/DELETE) in the header X-CSRF-Token;
// - the token lives in memory and in sessionStorage, so a reload keeps working;
//   GET /api/v1/session hands it out again anyway;
// - 401 → login page; 403 password_change_required → change-password page;
// - every other error shows the server's Chinese message (error.message).
// ElMessage is fetched the first time a message is shown: the login page, on a weak signal, loads
// without it (issue 14; tests/e2e/weak_signal.test.mjs).
function toast(kind, opts) {
  import('element-plus/es/components/message/index.mjs')
    .then(m => m.ElMessage[kind](opts))
    .catch(() => { /* the chunk did not come: the page shows the error where it can */ })
}

export const API = '/api/v1'
const CSRF_KEY = 'zc_csrf'
const TIMEOUT_MS = 30000

let csrf = null
try { csrf = sessionStorage.getItem(CSRF_KEY) } catch (e) { /* storage blocked */ }
let router = null
let onUnauthenticated = null
let onAnswer = null

export function setRouter(r) { router = r }
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn }
// Called whenever the server answers at all: a page that runs on the saved session (no signal)
// takes the real one back at the first sign of the server, not only on the browser's `online`.
export function setAnswerHandler(fn) { onAnswer = fn }

export function setCsrf(token) {
  csrf = token || null
  try {
    if (csrf) sessionStorage.setItem(CSRF_KEY, csrf)
    else sessionStorage.removeItem(CSRF_KEY)
  } catch (e) { /* storage blocked */ }
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.status = status
    this.code = code
    this.field = field || null
  }
}

// Builds "/api/v1/path?a=1&b=2", leaving out empty parameters.
export function apiUrl(path, params) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue
    qs.append(k, String(v))
  }
  const s = qs.toString()
  return API + path + (s ? (path.includes('?') ? '&' : '?') + s : '')
}

let authRedirecting = false
function toLogin() {
  if (!router || authRedirecting) return
  const cur = router.currentRoute.value
  if (cur.name === 'login') return
  authRedirecting = true
  router.replace({ name: 'login', query: cur.fullPath && cur.fullPath !== '/' ? { redirect: cur.fullPath } : {} })
    .finally(() => { authRedirecting = false })
}

// request(method, path, { params, body, silent, noAuthRedirect })
//   silent: do not show the error toast (the caller shows it, e.g. next to a field)
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' }
  if (opts.raw !== undefined) {
    // a file sent as it is (e.g. the roster import): its own Content-Type, no JSON
    headers['Content-Type'] = opts.contentType || 'application/octet-stream'
    init.body = opts.raw
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf
  const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null
  if (ctrl) init.signal = ctrl.signal
  const timer = ctrl ? setTimeout(() => ctrl.abort(), TIMEOUT_MS) : null

  let res
  try {
    res = await fetch(apiUrl(path, opts.params), init)
  } catch (e) {
    const msg = e && e.name === 'AbortError' ? '请求超时，请检查网络后重试' : '网络连接失败，请检查网络后重试'
    if (!opts.silent) toast('error', { message: msg, grouping: true })
    throw new ApiError(0, 'network', msg, null)
  } finally {
    if (timer) clearTimeout(timer)
  }
  if (onAnswer) onAnswer()

  if (res.status === 204) return null
  let data = null
  const text = await res.text()
  if (text) {
    try { data = JSON.parse(text) } catch (e) { data = null }
  }
  if (res.ok) return data

  const err = (data && data.error) || {}
  const e = new ApiError(res.status, err.code || 'http_' + res.status,
    err.message || `服务器错误（${res.status}），请稍后重试`, err.field)
  e.detail = err // the whole error object: e.g. error.errors (import) or error.reasons (nomination)
  if (res.status === 401 && !opts.noAuthRedirect) {
    setCsrf(null)
    if (onUnauthenticated) onUnauthenticated()
    if (!opts.silent) toast('warning', { message: '登录已失效，请重新登录', grouping: true })
    toLogin()
    throw e
  }
  if (res.status === 403 && e.code === 'password_change_required' && router) {
    toast('warning', { message: e.message || '请先修改密码', grouping: true })
    router.replace({ name: 'password' })
    throw e
  }
  if (!opts.silent) toast('error', { message: e.message, grouping: true, showClose: true })
  throw e
}

export const api = {
  get: (path, params, opts) => request('GET', path, { ...opts, params }),
  post: (path, body, opts) => request('POST', path, { ...opts, body: body === undefined ? {} : body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  upload: (path, params, raw, contentType, opts) => request('POST', path, { ...opts, params, raw, contentType }),
  del: (path, opts) => request('DELETE', path, opts || {})
}
