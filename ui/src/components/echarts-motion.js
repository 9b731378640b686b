// Every chart of the UI is made by this init (each echarts-*.js chunk exports it). Whoever has asked their
// phone or computer for less motion (prefers-reduced-motion: reduce, an accessibility setting) gets charts
// drawn at once, without the bars growing in: ECharts' theme carries `animation: false` as the default of
// every option. The browser tests ask for it too (tests/e2e/helpers.mjs): their clock is the server's
// pinned instant and does not move, so an animation timed by the clock would never end and ECharts would
// repaint its canvas at every frame for as long as the page is shown.
import { init as echartsInit } from 'echarts/core'

const STILL = { animation: false }

export function init(el, theme, opts) {
  const reduce = typeof window !== 'undefined' && typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-reduced-motion: reduce)').matches
  return echartsInit(el, reduce ? STILL : theme, opts)
}
