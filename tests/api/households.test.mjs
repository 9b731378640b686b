// The household registry (5.6) and its history (5.8): import of a village's sheet, all or nothing,
// errors by row and column; re-import updates; ID numbers checked, masked, revealed only to the
// rural revitalization bureau and audited; edits guarded by the version; scope by region, unit, cadre.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, idNumber, reauth, sqlite, xlsxOf, DB } from './lib.mjs';
import { thisYear } from '../clock.mjs';

const VILLAGE = '360781101201';        // 上芫村 (瑞林镇): no households in the demo
const OTHER = '360781101203';          // 稳村村 (瑞林镇)
const DEMO_VILLAGE = '360781104200';   // 沙洲坝村: cadre1's village, unit_leader1's cadres serve there
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['户编号', '户主姓名', '户类型', '是否纳入监测', '成员姓名', '身份证号', '与户主关系', '是否劳动力', '健康状况',
  '人均纯收入', '收入年度', '联系电话', '住址', '不愁吃穿', '义务教育保障', '基本医疗保障', '住房安全保障', '饮水安全保障'];
const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
const upload = (session, village, body, type = 'text/csv') => api('POST', `/api/v1/households/import?village=${village}`, {
  session, raw: body, headers: { 'content-type': type },
});
let seq = 100 + Math.floor(Math.random() * 300);
const id = (birth) => idNumber('362102', birth, seq++);

// Three households, six members; ID numbers fresh for every call.
function sheet(prefix) {
  const year = String(thisYear() - 1);
  return [
    HEADER,
    [`${prefix}1`, '钟长生', '脱贫户', '否', '钟长生', id('1968-03-12'), '户主', '是', '健康', '12800', year, '13807970001', '上坪组', '是', '是', '是', '是', '是'],
    [`${prefix}1`, '钟长生', '脱贫户', '否', '刘秀英', id('1970-05-02'), '配偶', '是', '健康', '12800', year, '13807970001', '上坪组', '是', '是', '是', '是', '是'],
    [`${prefix}2`, '黄水根', '脱贫不稳定户', '', '黄水根', id('1959-11-02'), '户主', '否', '慢性病', '6900', year, '', '下坪组', '是', '是', '是', '否', '是'],
    [`${prefix}3`, '谢国华', '边缘易致贫户', '是', '谢国华', id('1980-07-07'), '户主', '是', '残疾', '7200', year, '', '河背组', '是', '否', '是', '是', '是'],
    [`${prefix}3`, '谢国华', '边缘易致贫户', '是', '曾冬梅', id('1983-04-15'), '配偶', '是', '健康', '7200', year, '', '河背组', '是', '否', '是', '是', '是'],
    [`${prefix}3`, '谢国华', '边缘易致贫户', '是', '谢小兰', id('2012-06-30'), '子女', '否', '健康', '7200', year, '', '河背组', '是', '否', '是', '是', '是'],
  ];
}
const count = async (s, village) => (await api('GET', `/api/v1/households?village=${village}`, { session: s })).body.total;
async function byNo(s, village, no) {
  const r = await api('GET', `/api/v1/households?village=${village}&q=${encodeURIComponent(no)}`, { session: s });
  assert.equal(r.status, 200, r.text);
  const row = r.body.items.find((x) => x.household_no === no);
  assert.ok(row, `household ${no} in ${village}: ${r.text}`);
  return row;
}

test('import: every bad cell by row and column in Chinese, nothing imported; the fixed sheet adds 3 households', async () => {
  const rrb = await as('ruijin_rrb');
  const good = sheet('A');
  const bad = good.map((r) => [...r]);
  bad[1][5] = bad[1][5].slice(0, 17) + (bad[1][5][17] === '1' ? '2' : '1');  // row 2: wrong check character
  bad[3][2] = '贫困户';                                                       // row 4: unknown category
  bad[5][1] = '谢国强';                                                       // row 6: head differs from row 5
  bad[6][5] = bad[5][5];                                                      // row 7: same ID as row 6
  const before = await count(rrb, VILLAGE);
  const r = await upload(rrb, VILLAGE, csv(bad));
  assertError(r, 422, 'import_invalid');
  const errors = r.body.error.errors;
  const at = (row, code) => errors.find((e) => e.row === row && e.code === code);
  assert.equal(at(2, 'id_checksum')?.column, 'F', JSON.stringify(errors));
  assert.equal(at(2, 'id_checksum').field, 'id_number');
  assert.match(at(2, 'id_checksum').message, /[\u4e00-\u9fff]/);
  assert.equal(at(4, 'field_required')?.column ?? at(4, 'field_invalid')?.column, 'C', JSON.stringify(errors));
  assert.ok(at(6, 'household_mismatch'), `row 6: the head's name differs: ${JSON.stringify(errors)}`);
  assert.ok(at(7, 'duplicate_in_file'), JSON.stringify(errors));
  assert.ok(!errors.some((e) => e.row === 3), 'the good row has no error');
  assert.equal(await count(rrb, VILLAGE), before, 'nothing imported, not even the good rows');

  const ok = await upload(rrb, VILLAGE, csv(good));
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.body.added, ok.body.updated, ok.body.unchanged], [3, 0, 0]);
  assert.equal(await count(rrb, VILLAGE), before + 3);
  const a2 = await byNo(rrb, VILLAGE, 'A2');
  assert.equal(a2.category, 'unstable');
  assert.equal(a2.monitored, true, 'a 脱贫不稳定户 is monitored unless the sheet says otherwise (5.7)');
  assert.equal(a2.housing, 0);
  assert.equal(a2.per_capita, 6900);
  const a1 = await byNo(rrb, VILLAGE, 'A1');
  assert.equal(a1.members_count, 2);
  assert.equal(a1.monitored, false);
  assert.equal(a1.phone, '138****0001', 'the phone is masked');
});

test('import: a sheet without a required column, an empty file and a file of another type are refused', async () => {
  const rrb = await as('ruijin_rrb');
  const noId = sheet('B').map((r) => r.filter((_, i) => i !== 5));
  const r = await upload(rrb, VILLAGE, csv(noId));
  assertError(r, 422, 'import_invalid');
  assert.ok(r.body.error.errors.some((e) => e.row === 1 && e.code === 'column_missing' && e.field === 'id_number'), r.text);
  assertError(await upload(rrb, VILLAGE, ''), 422, 'import_invalid');
  assertError(await upload(rrb, VILLAGE, '{}', 'application/json'), 415, 'unsupported_media_type');
  assertError(await upload(rrb, '360781101', csv(sheet('B'))), 400, 'field_invalid', 'village');
  assertError(await upload(rrb, '360781101999', csv(sheet('B'))), 404, 'not_found', 'village');
  const elsewhere = sqlite(DB, "SELECT code FROM region WHERE level = 'village' AND path NOT LIKE '/36/3607/360781/%' LIMIT 1").stdout.trim();
  assert.match(elsewhere, /^\d{12}$/, 'a village of another county');
  assertError(await upload(rrb, elsewhere, csv(sheet('B'))), 404, 'not_found', 'village');
  assertError(await api('POST', '/api/v1/households/import', { session: rrb, raw: csv(sheet('B')), headers: { 'content-type': 'text/csv' } }),
    400, 'field_required', 'village');
});

test('re-import of an updated sheet (.xlsx) updates by 户编号 and members by ID number, never duplicates; the history shows it', async () => {
  const rrb = await as('ruijin_rrb');
  const rows = sheet('C');
  const first = await upload(rrb, OTHER, xlsxOf(rows), XLSX);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.added, 3);
  const again = await upload(rrb, OTHER, xlsxOf(rows), XLSX);
  assert.deepEqual([again.body.added, again.body.updated, again.body.unchanged], [0, 0, 3], again.text);
  // C1: income changes and 刘秀英 leaves; C3: a member's name corrected; C2 unchanged
  const updated = rows.filter((r) => r[4] !== '刘秀英').map((r) => [...r]);
  updated[1][9] = '15000';
  updated[4][4] = '曾冬英';
  const before = await count(rrb, OTHER);
  const up = await upload(rrb, OTHER, csv(updated));
  assert.equal(up.status, 200, up.text);
  assert.deepEqual([up.body.added, up.body.updated, up.body.unchanged, up.body.members_removed], [0, 2, 1, 1], up.text);
  assert.equal(await count(rrb, OTHER), before, 'no household duplicated');
  const c1 = await byNo(rrb, OTHER, 'C1');
  const d = await api('GET', `/api/v1/households/${c1.id}`, { session: rrb });
  assert.equal(d.body.members_count, 1);
  assert.equal(d.body.members.filter((m) => !m.removed).length, 1);
  assert.ok(d.body.members.find((m) => m.name === '刘秀英')?.removed, 'the member who left is kept, marked removed');
  assert.equal(d.body.per_capita, 15000);
  const last = d.body.history[0];
  assert.equal(last.source, 'import');
  assert.deepEqual(Object.values(last.changes).find((v) => Array.isArray(v) && v[1] === 15000), [12800, 15000], JSON.stringify(last));
  assert.deepEqual(last.changes.members_removed, ['刘秀英']);
  assert.equal(d.body.history.at(-1).changes.created.household_no, 'C1', 'the first entry is the creation');
  const c3 = await byNo(rrb, OTHER, 'C3');
  const d3 = await api('GET', `/api/v1/households/${c3.id}`, { session: rrb });
  assert.ok(d3.body.members.some((m) => m.name === '曾冬英' && !m.removed));
  assert.ok(!d3.body.members.some((m) => m.name === '曾冬梅'), 'matched by ID number: renamed, not added');
});

test('ID numbers are masked everywhere; the full number only for the RRB, and each reveal is audited', async () => {
  const rrb = await as('ruijin_rrb');
  const rows = sheet('D');
  const full = rows[1][5];
  assert.equal((await upload(rrb, VILLAGE, csv(rows))).status, 200);
  const h = await byNo(rrb, VILLAGE, 'D1');
  const d = await api('GET', `/api/v1/households/${h.id}`, { session: rrb });
  const m = d.body.members.find((x) => x.name === '钟长生');
  assert.equal(m.id_number, `${full.slice(0, 4)}**********${full.slice(14)}`);
  assert.ok(!d.text.includes(full), 'the detail has no full number');
  const exp = await api('GET', `/api/v1/households?village=${VILLAGE}&format=xlsx`, { session: rrb });
  assert.equal(exp.status, 200);
  assert.match(exp.headers.get('content-type'), /spreadsheetml/);
  assert.ok(!exp.buffer.includes(Buffer.from(full)), 'the export has no full number');

  await reauth(rrb); // the password typed again before a reveal (F8/F9)
  const r = await api('GET', `/api/v1/households/${h.id}/members/${m.id}/id-number`, { session: rrb });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.id_number, full);
  const audit = await api('GET', '/api/v1/audit?action=household.reveal_id_number&page_size=50', { session: await as('auditadmin') });
  const rows2 = audit.body.items.filter((x) => x.entity_id === String(h.id));
  assert.equal(rows2.length, 1, audit.text);
  assert.equal(rows2[0].username, 'ruijin_rrb');
  assert.ok(!audit.text.includes(full), 'the audit log keeps no ID number');
  for (const who of ['ruijin_org', 'shazhouba_sec', 'unit_leader1', 'cadre1']) {
    assertError(await api('GET', `/api/v1/households/${h.id}/members/${m.id}/id-number`, { session: await as(who) }), 403, 'forbidden');
  }
  assertError(await api('GET', `/api/v1/households/${h.id}/members/999999999/id-number`, { session: rrb }), 404, 'not_found');
});

test('edit: a stale version is refused (409) and changes nothing; every change goes into the history (5.8)', async () => {
  const rrb = await as('ruijin_rrb');
  assert.equal((await upload(rrb, VILLAGE, csv(sheet('E')))).status, 200);
  const h = await byNo(rrb, VILLAGE, 'E2');
  const year = thisYear() - 1;
  const ok = await api('PATCH', `/api/v1/households/${h.id}`, {
    session: rrb, body: { version: h.version, housing: true, income: { year, per_capita: 7600 }, address: '下坪组 3 号' },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, h.version + 1);
  assert.equal(ok.body.housing, 1);
  assert.equal(ok.body.per_capita, 7600);
  const entry = ok.body.history[0];
  assert.equal(entry.source, 'edit');
  assert.equal(entry.user_name, '瑞金市乡村振兴局');
  assert.deepEqual(entry.changes.housing, [0, 1]);
  assert.deepEqual(entry.changes[`income_${year}`], [6900, 7600]);
  assert.deepEqual(entry.changes.address, ['下坪组', '下坪组 3 号']);

  const stale = await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { version: h.version, housing: false } });
  assertError(stale, 409, 'stale_version', 'version');
  const now = await api('GET', `/api/v1/households/${h.id}`, { session: rrb });
  assert.equal(now.body.housing, 1, 'the stale edit changed nothing');
  assert.equal(now.body.history.length, ok.body.history.length);

  const v = now.body.version;
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { version: v, category: 'poor' } }), 400, 'field_invalid', 'category');
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { version: v, housing: 'yes' } }), 400, 'field_type', 'housing');
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { version: v, owner: 1 } }), 400, 'field_unknown');
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { housing: true } }), 400, 'field_required', 'version');
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, raw: '{"version":' }), 400, 'json_malformed');
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { version: v, income: { year: 1999, per_capita: 1 } } }), 400, 'field_invalid', 'year');
  assert.equal((await api('GET', `/api/v1/households/${h.id}`, { session: rrb })).body.version, v, 'refused edits change nothing');
  // a unit may read but not edit
  assertError(await api('PATCH', `/api/v1/households/${h.id}`, { session: await as('unit_leader1'), body: { version: v } }), 403, 'forbidden');
});

test('scope: a township its villages, a unit the villages where its cadres serve, a cadre their own village', async () => {
  const rrb = await as('ruijin_rrb');
  assert.equal((await upload(rrb, VILLAGE, csv(sheet('F')))).status, 200);
  const far = await byNo(rrb, VILLAGE, 'F1');                                     // 瑞林镇
  const demo = (await api('GET', `/api/v1/households?village=${DEMO_VILLAGE}`, { session: rrb })).body.items[0]; // 沙洲坝镇
  assert.ok(demo, 'the demo village has households');
  const town = await as('shazhouba_sec');
  assert.equal((await api('GET', `/api/v1/households/${demo.id}`, { session: town })).status, 200);
  assertError(await api('GET', `/api/v1/households/${far.id}`, { session: town }), 404, 'not_found');
  assertError(await api('PATCH', `/api/v1/households/${far.id}`, { session: town, body: { version: far.version, water: false } }), 404, 'not_found');
  assertError(await upload(town, VILLAGE, csv(sheet('G'))), 404, 'not_found', 'village');
  const townList = await api('GET', `/api/v1/households?village=${VILLAGE}`, { session: town });
  assert.equal(townList.body.total, 0, 'another township\'s village lists nothing');
  const all = await api('GET', '/api/v1/households?page_size=200', { session: town });
  assert.ok(all.body.items.every((x) => x.village_code.startsWith('360781104')), 'only 沙洲坝镇');

  const unit = await as('unit_leader1');
  assert.equal((await api('GET', `/api/v1/households/${demo.id}`, { session: unit })).status, 200, 'its cadre serves in 沙洲坝村');
  assertError(await api('GET', `/api/v1/households/${far.id}`, { session: unit }), 404, 'not_found');
  const cadre = await as('cadre1');
  const mine = await api('GET', '/api/v1/households?page_size=200', { session: cadre });
  assert.ok(mine.body.total > 0);
  assert.ok(mine.body.items.every((x) => x.village_code === DEMO_VILLAGE), 'the cadre sees their own village only');
  assertError(await api('GET', `/api/v1/households/${far.id}`, { session: cadre }), 404, 'not_found');
  assertError(await api('GET', `/api/v1/households/${far.id}`, { session: await as('sysadmin') }), 403, 'forbidden');
  const city = await as('city_rrb');
  assert.equal((await api('GET', `/api/v1/households/${far.id}`, { session: city })).status, 200);
  // the menu: 村情 for whoever reads households, 入户走访 for the cadre who visits
  assert.ok(cadre.menu.includes('visits') && cadre.menu.includes('villages'));
  assert.ok(rrb.menu.includes('villages') && !rrb.menu.includes('visits'));
  assert.ok(unit.menu.includes('villages'));
  assert.ok(!(await as('sysadmin')).menu.includes('villages'));
});

test('list filters and the villages list: category, monitored, search; 村情 counts households', async () => {
  const rrb = await as('ruijin_rrb');
  const mon = await api('GET', `/api/v1/households?region=360781104&monitored=1&page_size=200`, { session: rrb });
  assert.ok(mon.body.items.length > 0 && mon.body.items.every((x) => x.monitored));
  const cat = await api('GET', `/api/v1/households?region=360781104&category=alleviated&page_size=200`, { session: rrb });
  assert.ok(cat.body.items.every((x) => x.category === 'alleviated'));
  assertError(await api('GET', '/api/v1/households?category=rich', { session: rrb }), 400, 'field_invalid', 'category');
  assertError(await api('GET', '/api/v1/households?monitored=2', { session: rrb }), 400, 'field_invalid', 'monitored');
  const villages = await api('GET', '/api/v1/villages?region=360781104&page_size=200', { session: rrb });
  const demo = villages.body.items.find((v) => v.code === DEMO_VILLAGE);
  const total = (await api('GET', `/api/v1/households?village=${DEMO_VILLAGE}`, { session: rrb })).body.total;
  assert.equal(demo.households, total);
  const page = await api('GET', `/api/v1/villages/${DEMO_VILLAGE}`, { session: rrb });
  assert.equal(page.status, 200, page.text);
  assert.equal(page.body.categories.reduce((s, c) => s + c.count, 0), total);
  assert.ok(page.body.team.some((t) => t.post === 'first_secretary'));
  assert.equal(page.body.coverage_months.length, 12);
  assertError(await api('GET', `/api/v1/villages/${VILLAGE}`, { session: await as('shazhouba_sec') }), 404, 'not_found');
});
