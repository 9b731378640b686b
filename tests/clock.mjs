// The tests' clock: the instant the server under test was pinned at (tests/run_all.sh sets
// ZHUCUN_NOW for the server and for the tests alike). No test reads the real date: what a test
// judges — today, this month, a check-in an hour ago — is reckoned from this instant, so the
// suite gives the same answers on any day it is run.
import { randomBytes } from 'node:crypto'

export const NOW = process.env.ZHUCUN_NOW
if (!NOW) throw new Error('ZHUCUN_NOW is not set: the tests run at a pinned instant (see tests/run_all.sh)')
export const NOW_MS = Date.parse(NOW)
if (Number.isNaN(NOW_MS)) throw new Error(`ZHUCUN_NOW is not an instant: ${NOW}`)

const pad = (n) => String(n).padStart(2, '0')
/** An instant (ms) as "YYYY-MM-DDTHH:MM:SS+08:00" (China Standard Time). */
export function isoCST(ms = NOW_MS) {
  const d = new Date(ms + 8 * 3600e3)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`
}
/** Today (plus offsetDays) in China Standard Time, YYYY-MM-DD. */
export function today(offsetDays = 0) { return isoCST(NOW_MS + offsetDays * 86400e3).slice(0, 10) }
/** This month, YYYY-MM. */
export function thisMonth() { return today().slice(0, 7) }
/** The month before this one, YYYY-MM. */
export function lastMonth() {
  const [y, m] = thisMonth().split('-').map(Number)
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`
}
/** This year, a number. */
export function thisYear() { return Number(today().slice(0, 4)) }
/** Seconds since the epoch of the pinned instant. */
export const NOW_S = Math.floor(NOW_MS / 1000)

/** A random decimal number below max, for names and numbers that must differ between tests. */
export function randomInt(max = 1e9) { return randomBytes(4).readUInt32BE(0) % max }
/** A random hex string of n bytes. */
export function randomHex(n = 6) { return randomBytes(n).toString('hex') }
