// 数据交换 (issue 13, part 2): the bulk exchange with the 防返贫监测 platforms. The template's headers
// are the layout documented in docs/EXCHANGE.md; the file just exported imports with 0 new and 0
// changed (CSV and .xlsx); a bad file is refused whole, every error by row, column letter and the
// column's header, nothing changed; records outside the importer's scope are errors; ID numbers and
// phones leave masked; only the county and city rural revitalization bureaus exchange; every import
// and export is audited with its counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, as, assertError, createUser, idNumber, login } from './lib.mjs';
import { thisYear } from '../clock.mjs';

const VILLAGE = '360781101216';   // 廖坳村 (瑞林镇): no households in the demo, and no other test writes there
const SECOND = '360781101217';    // 下坝村 (瑞林镇): likewise
const ELSEWHERE = '360702001001'; // 章贡区: outside 瑞金市
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BOM = '\uFEFF';
let seq = 500 + Math.floor(Math.random() * 300);
const id = (birth) => idNumber('362102', birth, seq++);

// A CSV reader good for RFC 4180 quoting (the export quotes cells with commas, quotes or newlines).
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
const toCsv = (rows) => rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
const upload = (session, body, type = 'text/csv', dataset = 'members') =>
  api('POST', `/api/v1/exchange/${dataset}/import`, { session, raw: body, headers: { 'content-type': type } });
const exportOf = (session, region, format = 'csv', dataset = 'members') =>
  api('GET', `/api/v1/exchange/${dataset}/export?region=${region}&format=${format}`, { session });

async function layoutOf(session, code) {
  const r = await api('GET', '/api/v1/exchange/layouts', { session });
  assert.equal(r.status, 200, r.text);
  return r.body.items.find((l) => l.code === code);
}

// The 成员 layout's rows for two households of a village, from the layout's own headers.
function sheet(headers, village, prefix) {
  const year = String(thisYear() - 1);
  const people = [
    { household_no: `${prefix}1`, head_name: '钟长生', category_name: '脱贫户', monitored: '否', name: '钟长生', id_number: id('1968-03-12'), relation: '户主', able_bodied: '是', health: '健康', per_capita: '12800', income_year: year, phone: '13807970001', address: '上坪组' },
    { household_no: `${prefix}1`, head_name: '钟长生', category_name: '脱贫户', monitored: '否', name: '刘秀英', id_number: id('1970-05-02'), relation: '配偶', able_bodied: '是', health: '', per_capita: '12800', income_year: year, phone: '13807970001', address: '上坪组' },
    { household_no: `${prefix}2`, head_name: '谢国华', category_name: '边缘易致贫户', monitored: '是', name: '谢国华', id_number: id('1980-07-07'), relation: '户主', able_bodied: '否', health: '慢性病', per_capita: '7200.5', income_year: year, phone: '', address: '河背组' },
  ];
  const items = { food_clothing: '是', schooling: '是', medical: '是', housing: '否', water: '是' };
  return [headers.map((h) => h.header), ...people.map((p) => headers.map((h) => (h.key === 'village_code' ? village : p[h.key] ?? items[h.key] ?? '')))];
}

test('the template carries exactly the documented layout of each dataset', async () => {
  const rrb = await as('ruijin_rrb');
  const doc = readFileSync(new URL('../../docs/EXCHANGE.md', import.meta.url), 'utf8');
  for (const code of ['households', 'members', 'leads', 'cases']) {
    const layout = await layoutOf(rrb, code);
    assert.ok(layout, code);
    const t = await api('GET', `/api/v1/exchange/${code}/template?format=csv`, { session: rrb });
    assert.equal(t.status, 200, t.text);
    assert.ok(t.text.startsWith(BOM), 'UTF-8 with a BOM, for Excel');
    const header = parseCsv(t.text.slice(1))[0];
    assert.deepEqual(header, layout.columns.map((c) => c.header));
    // the documented table of this dataset: "| A | 村代码 | …" rows under its "### … (`code`)" heading
    const section = doc.split(/^### /m).find((s) => s.includes(`(\`${code}\`)`));
    assert.ok(section, `docs/EXCHANGE.md documents ${code}`);
    const documented = [...section.matchAll(/^\| ([A-Z]{1,2}) \| ([^|]+?) \|/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(documented, layout.columns.map((c) => [c.letter, c.header]), `docs/EXCHANGE.md, ${code}`);
    const x = await api('GET', `/api/v1/exchange/${code}/template`, { session: rrb });
    assert.equal(x.status, 200);
    assert.equal(x.headers.get('content-type'), XLSX);
    assert.equal(x.buffer.subarray(0, 2).toString(), 'PK', 'an .xlsx (zip) file');
  }
  assertError(await api('GET', '/api/v1/exchange/people/template', { session: rrb }), 404, 'not_found');
  assertError(await api('GET', '/api/v1/exchange/members/template?format=pdf', { session: rrb }), 400, 'field_invalid', 'format');
});

test('round trip: the exported file imports with 0 new and 0 changed, as CSV and as .xlsx; IDs and phones masked', async () => {
  const rrb = await as('ruijin_rrb');
  const layout = await layoutOf(rrb, 'members');
  const first = sheet(layout.columns, VILLAGE, 'X');
  const created = await upload(rrb, toCsv(first));
  assert.equal(created.status, 200, created.text);
  assert.deepEqual([created.body.added, created.body.updated, created.body.unchanged], [2, 0, 0]);

  const out = await exportOf(rrb, VILLAGE);
  assert.equal(out.status, 200, out.text);
  assert.ok(out.text.startsWith(BOM));
  const rows = parseCsv(out.text.slice(1));
  assert.equal(rows.length, 4, 'the header and three members');
  const col = (key) => layout.columns.findIndex((c) => c.key === key);
  for (const r of rows.slice(1)) {
    assert.match(r[col('id_number')], /^\d{4}\*{10}[\dX]{4}$/, 'the ID number leaves masked');
    assert.ok(!first.some((f) => f[col('id_number')] === r[col('id_number')]));
    assert.equal(r[col('village_code')], VILLAGE);
  }
  assert.equal(rows[1][col('phone')], '138****0001', 'the phone leaves masked');
  assert.equal(rows.find((r) => r[col('name')] === '谢国华')[col('health')], '****', 'the health note leaves masked');
  assert.equal(rows.find((r) => r[col('name')] === '谢国华')[col('per_capita')], '7200.5');

  const again = await upload(rrb, out.text);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.body.added, again.body.updated, again.body.unchanged, again.body.members_removed], [0, 0, 2, 0]);

  const xlsx = await exportOf(rrb, VILLAGE, 'xlsx');
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('content-type'), XLSX);
  const viaXlsx = await upload(rrb, xlsx.buffer, XLSX);
  assert.equal(viaXlsx.status, 200, viaXlsx.text);
  assert.deepEqual([viaXlsx.body.added, viaXlsx.body.updated, viaXlsx.body.unchanged], [0, 0, 2]);

  // a real change is one changed household, and the next export shows it
  const changed = rows.map((r) => [...r]);
  changed.filter((r) => r[col('household_no')] === 'X2').forEach((r) => { r[col('housing')] = '是'; });
  const upd = await upload(rrb, toCsv(changed));
  assert.equal(upd.status, 200, upd.text);
  assert.deepEqual([upd.body.added, upd.body.updated, upd.body.unchanged], [0, 1, 1]);
  const after = parseCsv((await exportOf(rrb, VILLAGE)).text.slice(1));
  assert.equal(after.find((r) => r[col('household_no')] === 'X2')[col('housing')], '是');

  const audit = await api('GET', '/api/v1/audit?action=exchange.import&page_size=50', { session: await as('auditadmin') });
  assert.equal(audit.status, 200, audit.text);
  const details = audit.body.items.map((x) => (typeof x.detail === 'string' ? JSON.parse(x.detail) : x.detail));
  assert.ok(details.some((d) => d.added === 0 && d.updated === 0 && d.unchanged === 2), audit.text);
  const exp = await api('GET', '/api/v1/audit?action=exchange.export&page_size=50', { session: await as('auditadmin') });
  assert.ok(exp.body.items.length >= 2, 'each export audited');
});

test('a bad file: every error by row, column and header, in Chinese; nothing changed at all', async () => {
  const rrb = await as('ruijin_rrb');
  const layout = await layoutOf(rrb, 'members');
  const col = (key) => layout.columns.findIndex((c) => c.key === key);
  const letter = (key) => layout.columns[col(key)].letter;
  const base = sheet(layout.columns, SECOND, 'Y');
  const ok = await upload(rrb, toCsv(base));
  assert.equal(ok.status, 200, ok.text);
  const before = (await exportOf(rrb, SECOND)).text;
  const rows = parseCsv(before.slice(1));
  const bad = rows.map((r) => [...r]);
  bad.push([...bad[3]]);
  bad[1][col('village_code')] = '360781101299';        // row 2: no such village
  bad[2][col('income_year')] = String(thisYear() + 1); // row 3: a year in the future
  const fresh = id('1980-07-07');
  bad[3][col('id_number')] = fresh.slice(0, 17) + (fresh[17] === '1' ? '2' : '1'); // row 4: bad check character
  bad[4][col('village_code')] = ELSEWHERE;             // row 5: outside 瑞金市
  const dup = id('1990-01-01');
  bad.push([...rows[3]], [...rows[3]]);
  bad[5][col('id_number')] = dup; bad[5][col('name')] = '谢一'; bad[5][col('relation')] = '子女';
  bad[6][col('id_number')] = dup; bad[6][col('name')] = '谢二'; bad[6][col('relation')] = '子女'; // row 7: same ID as row 6
  const r = await upload(rrb, toCsv(bad));
  assertError(r, 422, 'import_invalid');
  assert.match(r.body.error.message, /未导入任何数据/);
  const errors = r.body.error.errors;
  const at = (row, code) => errors.find((e) => e.row === row && e.code === code);
  const expect = [[2, 'village_unknown', 'village_code'], [3, 'field_invalid', 'income_year'],
    [4, 'id_checksum', 'id_number'], [5, 'out_of_scope', 'village_code'], [7, 'duplicate_in_file', 'id_number']];
  for (const [row, code, key] of expect) {
    const e = at(row, code);
    assert.ok(e, `row ${row} ${code}: ${JSON.stringify(errors)}`);
    assert.equal(e.column, letter(key), JSON.stringify(e));
    assert.equal(e.header, layout.columns[col(key)].header, JSON.stringify(e));
    assert.match(e.message, /[\u4e00-\u9fff]/);
  }
  assert.equal((await exportOf(rrb, SECOND)).text, before, 'nothing changed by the refused file');

  // a masked number that names no member of the household is an error, not a new member
  const stranger = rows.map((r) => [...r]);
  stranger[2][col('id_number')] = '3621**********0000';
  const m = await upload(rrb, toCsv(stranger));
  assertError(m, 422, 'import_invalid');
  assert.equal(m.body.error.errors[0].code, 'masked_unknown');
  assert.equal(m.body.error.errors[0].row, 3);
  assert.equal(m.body.error.errors[0].header, '身份证号');
  // a missing 村代码 column
  const noVillage = rows.map((r) => r.filter((_, i) => i !== col('village_code')));
  const h = await upload(rrb, toCsv(noVillage));
  assertError(h, 422, 'import_invalid');
  assert.ok(h.body.error.errors.some((e) => e.code === 'column_missing' && e.field === 'village_code'), h.text);
  assert.equal((await exportOf(rrb, SECOND)).text, before);
});

test('scope and roles: the city sees the county, a county not another; townships and others do not exchange', async () => {
  const rrb = await as('ruijin_rrb');
  assertError(await exportOf(rrb, ELSEWHERE), 404, 'not_found', 'region');
  const city = await as('city_rrb');
  const c = await exportOf(city, VILLAGE);
  assert.equal(c.status, 200, c.text);
  assert.ok(parseCsv(c.text.slice(1)).length >= 2);
  const whole = await api('GET', '/api/v1/exchange/households/export?format=csv', { session: rrb });
  assert.equal(whole.status, 200);
  const codes = parseCsv(whole.text.slice(1)).slice(1).map((r) => r[0]);
  assert.ok(codes.length > 0 && codes.every((code) => code.startsWith('360781')), 'only 瑞金市 in the county\'s export');
  for (const dataset of ['leads', 'cases']) {
    const x = await api('GET', `/api/v1/exchange/${dataset}/export?format=csv`, { session: city });
    assert.equal(x.status, 200, x.text);
    assert.ok(parseCsv(x.text.slice(1)).length >= 2, `${dataset}: the demo's cases`);
    assertError(await upload(rrb, x.text, 'text/csv', dataset), 400, 'not_importable', 'dataset');
  }
  const leads = parseCsv((await api('GET', '/api/v1/exchange/leads/export?format=csv', { session: city })).text.slice(1));
  const cases = parseCsv((await api('GET', '/api/v1/exchange/cases/export?format=csv', { session: city })).text.slice(1));
  const ids = new Set(leads.slice(1).map((r) => r[0]));
  assert.ok(cases.slice(1).every((r) => !ids.has(r[0])), 'a case is a lead or a monitoring case, never both');
  for (const role of ['township_secretary', 'org_county']) {
    const u = await createUser({ role, region_code: role === 'org_county' ? '360781' : '360781101' });
    const s = await login(u.username, u.password);
    assertError(await exportOf(s, VILLAGE), 403, 'forbidden');
    assertError(await upload(s, 'x'), 403, 'forbidden');
  }
});
