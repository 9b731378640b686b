// The text of a PDF that headless Chromium printed (page.pdf): enough of PDF to read it back, so
// that a test checks what the printed page says, not only what the screen showed. Objects are
// read with their streams (FlateDecode inflated); each font's ToUnicode CMap (bfchar, bfrange)
// maps the codes of `<hex> Tj` and `[<hex> …] TJ` back to Unicode, per font selected by `Tf`
// through the page's /Font resources. Text blocks (BT … ET) end with a newline. Chromium (Skia)
// writes one- or two-byte codes; both are read by the width of the CMap's source codes. The text is
// NFKC-normalized (full-width punctuation becomes ASCII: compare normalized strings).
import fs from 'node:fs'
import zlib from 'node:zlib'

function objects(buf) {
  const s = buf.toString('latin1')
  const out = new Map()
  const re = /(\d+) 0 obj\s*([\s\S]*?)endobj/g
  let m
  while ((m = re.exec(s))) {
    const body = m[2]
    const k = body.indexOf('stream')
    let dict = body, stream = null
    if (k >= 0 && /^<</.test(body.trim())) {
      dict = body.slice(0, k)
      let start = k + 6
      if (body[start] === '\r') start++
      if (body[start] === '\n') start++
      const end = body.lastIndexOf('endstream')
      let raw = Buffer.from(body.slice(start, end), 'latin1')
      if (/\/FlateDecode/.test(dict)) {
        try { raw = zlib.inflateSync(raw) } catch (e) { raw = zlib.inflateSync(raw.subarray(0, raw.length - 1)) }
      }
      stream = raw.toString('latin1')
    }
    out.set(Number(m[1]), { dict, stream })
  }
  return out
}

function utf16(hex) {
  let t = ''
  for (let i = 0; i + 4 <= hex.length; i += 4) t += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16))
  return t
}

function cmap(text) {
  const map = new Map()
  let width = 2
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const p of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      width = p[1].length
      map.set(parseInt(p[1], 16), utf16(p[2]))
    }
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const p of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      width = p[1].length
      const lo = parseInt(p[1], 16), hi = parseInt(p[2], 16)
      if (p[3].startsWith('[')) {
        const list = [...p[3].matchAll(/<([0-9a-fA-F]+)>/g)].map(x => utf16(x[1]))
        for (let c = lo; c <= hi; c++) map.set(c, list[c - lo] || '')
      } else {
        const base = p[3].slice(1, -1)
        const first = parseInt(base.slice(-4), 16)
        for (let c = lo; c <= hi; c++) map.set(c, utf16(base.slice(0, -4)) + String.fromCharCode(first + c - lo))
      }
    }
  }
  return { map, width }
}

function decode(hex, font) {
  if (!font) return ''
  let t = ''
  for (let i = 0; i + font.width <= hex.length; i += font.width) t += font.map.get(parseInt(hex.slice(i, i + font.width), 16)) ?? ''
  return t
}

function pageText(content, fonts) {
  let font = null, out = ''
  const re = /\/([A-Za-z0-9_.]+)\s+[-\d.]+\s+Tf|<([0-9a-fA-F\s]*)>\s*Tj|\[((?:[^\]\\]|\\.)*)\]\s*TJ|\bET\b/g
  let m
  while ((m = re.exec(content))) {
    if (m[1]) font = fonts.get(m[1]) || null
    else if (m[2] !== undefined) out += decode(m[2].replace(/\s/g, ''), font)
    else if (m[3] !== undefined) for (const h of m[3].matchAll(/<([0-9a-fA-F\s]*)>/g)) out += decode(h[1].replace(/\s/g, ''), font)
    else out += '\n'
  }
  return out
}

// Skia's ToUnicode names a glyph by the lowest code point the font maps to it: some ideographs come
// back as a Kangxi radical (NFKC folds those), a CJK radical-supplement form or a traditional twin
// that the simplified font draws alike. These are folded to the ideographs the page was written in.
const TWINS = {
  '⺟': '母', '⺠': '民', '⺩': '王', '⺫': '目', '⺮': '竹', '⺳': '网', '⺷': '羊', '⻄': '西', '⻅': '见', '⻆': '角',
  '⻈': '讠', '⻉': '贝', '⻋': '车', '⻓': '长', '⻔': '门', '⻗': '雨', '⻘': '青', '⻚': '页', '⻛': '风', '⻜': '飞',
  '⻝': '食', '⻠': '饣', '⻢': '马', '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻩': '黄', '⻪': '黾',
  '⻬': '齐', '⻮': '齿', '⻰': '龙', '⻳': '龟', '戶': '户'
}
/** s as the PDF text reads it: NFKC, the twins above folded (apply to what a test expects, too). */
export function fold(s) {
  return String(s ?? '').normalize('NFKC').replace(/[\u2E80-\u2EFF戶]/g, c => TWINS[c] || c)
}

/** The text of the PDF file, page after page; { text, pages }. */
export function pdfText(file) {
  const objs = objects(fs.readFileSync(file))
  const cmaps = new Map()
  const fontOf = (id) => {
    if (!cmaps.has(id)) {
      const o = objs.get(id)
      const ref = o && /\/ToUnicode\s+(\d+)\s+0\s+R/.exec(o.dict)
      const s = ref && objs.get(Number(ref[1]))
      cmaps.set(id, s && s.stream ? cmap(s.stream) : null)
    }
    return cmaps.get(id)
  }
  const pages = []
  for (const [, o] of objs) {
    if (!/\/Type\s*\/Page\b/.test(o.dict)) continue
    const fonts = new Map()
    const fd = /\/Font\s*<<([\s\S]*?)>>/.exec(o.dict)
    if (fd) for (const f of fd[1].matchAll(/\/([A-Za-z0-9_.]+)\s+(\d+)\s+0\s+R/g)) fonts.set(f[1], fontOf(Number(f[2])))
    const contents = /\/Contents\s+(?:(\d+)\s+0\s+R|\[([^\]]*)\])/.exec(o.dict)
    const ids = contents ? (contents[1] ? [contents[1]] : [...contents[2].matchAll(/(\d+)\s+0\s+R/g)].map(x => x[1])) : []
    pages.push(ids.map(id => pageText((objs.get(Number(id)) || {}).stream || '', fonts)).join(''))
  }
  // Skia's ToUnicode names some ideographs by their Kangxi radical (⼲ for 干): NFKC folds them back
  return { text: fold(pages.join('\f')), pages: pages.length }
}
