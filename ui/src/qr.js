// qr — a small QR Code encoder (ISO/IEC 18004:2015) for the 两步验证 enrolment page: the otpauth:// URI
// of a new secret drawn as a QR code the authenticator app on the phone scans. Byte mode only,
// error correction level M (L when the text does not fit), versions 1–10 (up to 271 bytes), which
// covers every URI the server makes. The method is the standard one (after Project Nayuki's
// reference implementation): data codewords, Reed–Solomon blocks interleaved, function patterns,
// the zig-zag placement, and the mask with the lowest penalty. Nothing leaves the browser.

const ECC_PER_BLOCK = { L: [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18], M: [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26] }
const BLOCKS = { L: [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4], M: [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5] }
const FORMAT_ECL = { L: 1, M: 0 }
const MAX_VERSION = 10

function rawModules(ver) {
  let n = (16 * ver + 128) * ver + 64
  if (ver >= 2) {
    const align = Math.floor(ver / 7) + 2
    n -= (25 * align - 10) * align - 55
    if (ver >= 7) n -= 36
  }
  return n
}
const dataCodewords = (ver, ecl) => Math.floor(rawModules(ver) / 8) - ECC_PER_BLOCK[ecl][ver] * BLOCKS[ecl][ver]

function gfMul(x, y) {
  let z = 0
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d)
    z ^= ((y >>> i) & 1) * x
  }
  return z
}

function rsDivisor(degree) {
  const r = new Array(degree).fill(0)
  r[degree - 1] = 1
  let root = 1
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      r[j] = gfMul(r[j], root)
      if (j + 1 < degree) r[j] ^= r[j + 1]
    }
    root = gfMul(root, 0x02)
  }
  return r
}

function rsRemainder(data, divisor) {
  const r = new Array(divisor.length).fill(0)
  for (const b of data) {
    const factor = b ^ r.shift()
    r.push(0)
    divisor.forEach((coef, i) => { r[i] ^= gfMul(coef, factor) })
  }
  return r
}

// mode 0100, the count (8 bits, 16 from version 10), the bytes, terminator and padding
function dataBits(bytes, ver, ecl) {
  const bits = []
  const put = (val, len) => { for (let i = len - 1; i >= 0; i--) bits.push((val >>> i) & 1) }
  put(4, 4)
  put(bytes.length, ver < 10 ? 8 : 16)
  bytes.forEach((b) => put(b, 8))
  const cap = dataCodewords(ver, ecl) * 8
  put(0, Math.min(4, cap - bits.length))
  put(0, (8 - (bits.length % 8)) % 8)
  for (let pad = 0xec; bits.length < cap; pad ^= 0xec ^ 0x11) put(pad, 8)
  const out = []
  for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0))
  return out
}

function interleave(data, ver, ecl) {
  const nblocks = BLOCKS[ecl][ver]
  const eccLen = ECC_PER_BLOCK[ecl][ver]
  const raw = Math.floor(rawModules(ver) / 8)
  const nshort = nblocks - (raw % nblocks)
  const shortLen = Math.floor(raw / nblocks)
  const divisor = rsDivisor(eccLen)
  const blocks = []
  for (let i = 0, k = 0; i < nblocks; i++) {
    const dat = data.slice(k, k + shortLen - eccLen + (i < nshort ? 0 : 1))
    k += dat.length
    const ecc = rsRemainder(dat, divisor)
    if (i < nshort) dat.push(0)
    blocks.push(dat.concat(ecc))
  }
  const out = []
  for (let i = 0; i < blocks[0].length; i++) {
    blocks.forEach((b, j) => { if (i !== shortLen - eccLen || j >= nshort) out.push(b[i]) })
  }
  return out
}

function alignmentPositions(ver) {
  if (ver === 1) return []
  const n = Math.floor(ver / 7) + 2
  const size = ver * 4 + 17
  const step = Math.ceil((ver * 4 + 4) / (n * 2 - 2)) * 2
  const out = [6]
  for (let pos = size - 7; out.length < n; pos -= step) out.splice(1, 0, pos)
  return out
}

function formatBits(ecl, mask) {
  const data = (FORMAT_ECL[ecl] << 3) | mask
  let rem = data
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537)
  return ((data << 10) | rem) ^ 0x5412
}

function functionPatterns(ver, ecl, mask) {
  const size = ver * 4 + 17
  const m = Array.from({ length: size }, () => new Array(size).fill(false))
  const fn = Array.from({ length: size }, () => new Array(size).fill(false))
  const set = (x, y, dark) => { m[y][x] = dark; fn[y][x] = true }
  for (let i = 0; i < size; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0) }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const d = Math.max(Math.abs(dx), Math.abs(dy))
        const x = cx + dx
        const y = cy + dy
        if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4)
      }
    }
  }
  const al = alignmentPositions(ver)
  al.forEach((ax, i) => al.forEach((ay, j) => {
    if ((i === 0 && j === 0) || (i === 0 && j === al.length - 1) || (i === al.length - 1 && j === 0)) return
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1)
  }))
  const f = formatBits(ecl, mask)
  const bit = (v, i) => ((v >>> i) & 1) !== 0
  for (let i = 0; i <= 5; i++) set(8, i, bit(f, i))
  set(8, 7, bit(f, 6))
  set(8, 8, bit(f, 7))
  set(7, 8, bit(f, 8))
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(f, i))
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(f, i))
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(f, i))
  set(8, size - 8, true)
  if (ver >= 7) {
    let rem = ver
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25)
    const v = (ver << 12) | rem
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3)
      const b = Math.floor(i / 3)
      set(a, b, bit(v, i))
      set(b, a, bit(v, i))
    }
  }
  return { m, fn, size }
}

const MASKS = [
  (x, y) => (x + y) % 2 === 0, (x, y) => y % 2 === 0, (x) => x % 3 === 0, (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0, (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0, (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
]

function place(codewords, ver, ecl, mask) {
  const { m, fn, size } = functionPatterns(ver, ecl, mask)
  let i = 0
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j
        const y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert
        if (fn[y][x]) continue
        if (i < codewords.length * 8) m[y][x] = ((codewords[i >>> 3] >>> (7 - (i & 7))) & 1) !== 0
        i++
        if (MASKS[mask](x, y)) m[y][x] = !m[y][x]
      }
    }
  }
  return m
}

// the penalty of ISO/IEC 18004 7.8.3: runs of five or more, 2×2 blocks, finder-like patterns, balance
function penalty(m) {
  const size = m.length
  let p = 0
  const line = (get) => {
    for (let a = 0; a < size; a++) {
      let run = 1
      for (let b = 1; b <= size; b++) {
        if (b < size && get(a, b) === get(a, b - 1)) { run++; continue }
        if (run >= 5) p += run - 2
        run = 1
      }
      for (let b = 0; b + 10 < size; b++) {
        const s = Array.from({ length: 11 }, (_, k) => (get(a, b + k) ? 1 : 0)).join('')
        if (s === '10111010000' || s === '00001011101') p += 40
      }
    }
  }
  line((a, b) => m[a][b])
  line((a, b) => m[b][a])
  let dark = 0
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (m[y][x]) dark++
      if (x + 1 < size && y + 1 < size && m[y][x] === m[y][x + 1] && m[y][x] === m[y + 1][x] && m[y][x] === m[y + 1][x + 1]) p += 3
    }
  }
  const total = size * size
  p += Math.max(0, Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1) * 10
  return p
}

/** The QR code of text: {size, modules (rows of booleans, true = dark), version, ecl}. mask: fix one
 * (0–7) instead of choosing by penalty. Throws when the text is longer than version 10 holds. */
export function qrEncode(text, { mask = null } = {}) {
  const bytes = Array.from(new TextEncoder().encode(text))
  for (const ecl of ['M', 'L']) {
    for (let ver = 1; ver <= MAX_VERSION; ver++) {
      const header = 4 + (ver < 10 ? 8 : 16)
      if (header + bytes.length * 8 > dataCodewords(ver, ecl) * 8) continue
      const codewords = interleave(dataBits(bytes, ver, ecl), ver, ecl)
      let best = null
      for (let k = 0; k < 8; k++) {
        if (mask !== null && k !== mask) continue
        const modules = place(codewords, ver, ecl, k)
        const score = mask !== null ? 0 : penalty(modules)
        if (!best || score < best.score) best = { modules, score }
      }
      return { size: ver * 4 + 17, modules: best.modules, version: ver, ecl }
    }
  }
  throw new Error('二维码内容过长')
}

/** The QR code as an SVG document (dark modules as one path), with a quiet zone of 4 modules. */
export function qrSvg(text, scale = 5) {
  const { size, modules } = qrEncode(text)
  const full = size + 8
  let d = ''
  modules.forEach((row, y) => row.forEach((dark, x) => { if (dark) d += `M${x + 4},${y + 4}h1v1h-1z` }))
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" width="${full * scale}" height="${full * scale}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
}
