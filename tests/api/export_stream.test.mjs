// Issue 15: the exports of lists that reach a province's size (visits, households not visited,
// households, cadres, check-ins) are streamed from the statement into the workbook, row by row
// (http/handlers' handler_stream_list, store/list's sink, export/xlsx in constant-memory mode). The
// file must hold what the list holds: every row, in the list's order, each column as the JSON says.
// The workbook is opened here (zip central directory, inflate, the sheet's XML), not compared by bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { api, as, list } from './lib.mjs';

/** The files of a zip archive by name (stored or deflated). */
function unzip(buf) {
  const files = {};
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip archive');
  let p = buf.readUInt32LE(eocd + 16);
  const n = buf.readUInt16LE(eocd + 10);
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
  .replace(/&amp;/g, '&');
const texts = (xml) => [...xml.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => unescape(m[1])).join('');

/** The first sheet as rows of cell texts (shared or inline strings, numbers), by column letter. */
function sheetRows(buf) {
  const files = unzip(buf);
  const shared = [...(files['xl/sharedStrings.xml'] || '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]));
  const rows = [];
  for (const r of files['xl/worksheets/sheet1.xml'].matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
    const row = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const col = [...c[1]].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      const type = (c[2].match(/t="(\w+)"/) || [])[1];
      const v = (c[3] || '').match(/<v>([\s\S]*?)<\/v>/);
      row[col] = type === 's' ? shared[Number(v[1])] : type === 'inlineStr' ? texts(c[3]) : v ? unescape(v[1]) : '';
    }
    rows.push(Array.from(row, (x) => x ?? ''));
  }
  return rows;
}

/** What a JSON value becomes in the sheet (export/xlsx: 是/否 for booleans, blank for null). */
const cell = (v) => (v === true ? '是' : v === false ? '否' : v === null || v === undefined ? '' : String(v));

async function exported(session, path) {
  const sep = path.includes('?') ? '&' : '?';
  const x = await api('GET', `${path}${sep}format=xlsx`, { session });
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  return sheetRows(x.buffer);
}

/** The export holds the whole list, row by row in the list's order, each named column as in the JSON. */
async function assertSame(session, path, header, keys) {
  const rows = await exported(session, path);
  const json = await list(session, path, { all: true });
  assert.deepEqual(rows[0].slice(0, header.length), header, `${path}: the header row`);
  assert.equal(rows.length - 1, json.total, `${path}: every row of the list`);
  assert.ok(json.total > 0, `${path}: the demo has rows`);
  json.items.forEach((item, i) => {
    for (const [key, col] of keys) assert.equal(rows[i + 1][col] ?? '', cell(item[key]), `${path} row ${i + 1} ${key}`);
  });
  return { rows, json };
}

test('the visits and the households not visited export every row of the list, in its order (streamed)', async () => {
  const org = await as('city_org');
  const visits = await list(org, '/api/v1/visits?page_size=1');
  assert.ok(visits.total > 0);
  const village = visits.items[0].village_code;
  const { rows } = await assertSame(org, `/api/v1/visits?region=${village}`,
    ['走访日期', '村', '户编号', '户主姓名', '走访干部', '了解情况', '发现风险', '在村范围内'],
    [['visited_on', 0], ['village_name', 1], ['household_no', 2], ['head_name', 3], ['cadre_name', 4], ['findings', 5],
      ['in_fence', 7]]);
  // the risks by name, as the handler wrote them before the rows were streamed
  assert.ok(rows.slice(1).every((r) => !/^[a-z_]+$/.test(r[6] || '')), 'risks are named, not coded');
  const township = (await api('GET', `/api/v1/regions/${village}`, { session: org })).body.parent_code;
  await assertSame(org, `/api/v1/visits/unvisited?region=${township}&from=2026-05-01&to=2026-05-31`,
    ['乡镇', '村', '户编号', '户主姓名', '户类型', '纳入监测', '最近走访', '责任干部', '驻村工作队'],
    [['township_name', 0], ['village_name', 1], ['household_no', 2], ['head_name', 3], ['category_name', 4],
      ['monitored', 5], ['last_visit', 6], ['responsible', 7]]);
});

test('the households, cadres and check-ins export every row of the list, in its order (streamed)', async () => {
  const org = await as('ruijin_org');
  await assertSame(org, '/api/v1/cadres', ['编号', '姓名'], [['id', 0], ['name', 1], ['unit_name', 6], ['village_name', 8]]);
  const households = await list(org, '/api/v1/households?page_size=1');
  const village = households.items[0].village_code;
  await assertSame(org, `/api/v1/households?village=${village}`, ['乡镇', '村', '户编号', '户主姓名'],
    [['township_name', 0], ['village_name', 1], ['household_no', 2], ['head_name', 3], ['category_name', 4]]);
  const checkins = await list(org, '/api/v1/checkins?page_size=1');
  await assertSame(org, `/api/v1/checkins?village=${checkins.items[0].village_code}&from=2026-05-01&to=2026-05-31`,
    ['时间', '姓名', '村', '在村范围内'], [['time', 0], ['cadre_name', 1], ['village_name', 2], ['in_fence', 3]]);
});

test('an export after a JSON list, and a JSON list after an export, are each whole (the sink is per request)', async () => {
  const org = await as('ruijin_org');
  const rows = await exported(org, '/api/v1/cadres');
  const json = await api('GET', '/api/v1/cadres?page_size=200', { session: org });
  assert.equal(json.status, 200);
  assert.equal(json.body.items.length, Math.min(200, json.body.total), 'the JSON page has its rows');
  assert.equal(rows.length - 1, json.body.total);
});
