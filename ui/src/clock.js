// The one place the UI learns what time it is: the server's clock, never the phone's.
//
// Every reply of /api/v1/session carries the instant the server judges by ("now", China Standard
// Time) — the real time, or the instant fixed by `zhucun serve --now` for a test or a rehearsal.
// The UI keeps that instant and the moment it arrived (a monotonic clock), so "today", "this
// month" and "this year" — what it pre-fills and what it judges — agree with the server even on
// a phone whose own clock is wrong. Only a cadre reloading 我的驻村 with no signal has no server
// to ask; then the phone's clock is all there is, and it is used.
//
// The phone's own clock is still read where it is evidence, not judgement: the instant a cadre
// taps 打卡 or records a visit is sent as `at`, and the server compares it with its own.
import { reactive } from 'vue'

export const clock = reactive({ serverMs: null, receivedAt: 0, fixed: false })

// From a session or health reply: {now: "2027-01-01T09:00:00+08:00", clock_fixed}.
export function setServerClock(reply) {
  if (!reply || typeof reply.now !== 'string') return
  const ms = Date.parse(reply.now)
  if (Number.isNaN(ms)) return
  clock.serverMs = ms
  clock.receivedAt = performance.now()
  clock.fixed = !!reply.clock_fixed
}

// Now, in ms since the epoch: the server's instant plus the time elapsed since it said so; a
// fixed server clock stays where it was fixed, as the server's does.
export function nowMs() {
  if (clock.serverMs === null) return Date.now() // clock-ok: no server reply yet (offline reload)
  return clock.fixed ? clock.serverMs : clock.serverMs + (performance.now() - clock.receivedAt)
}

const pad = (n) => String(n).padStart(2, '0')
// "2026-11-29T09:12:00+08:00" for an instant (ms), whatever the phone's time zone.
export function isoCST(ms = nowMs()) {
  const d = new Date(ms + 8 * 3600 * 1000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`
}
// Today (plus offsetDays) in China Standard Time, YYYY-MM-DD.
export function todayCST(offsetDays = 0) { return isoCST(nowMs() + offsetDays * 86400000).slice(0, 10) }
export function thisMonth() { return todayCST().slice(0, 7) }
export function thisYear() { return Number(todayCST().slice(0, 4)) }
// The hour of the day in China Standard Time (0..23).
export function hourCST() { return Number(isoCST().slice(11, 13)) }
