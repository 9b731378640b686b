// Roster import (POST /api/v1/cadres/import): all or nothing, errors by row and column, re-import
// updates instead of duplicating; .csv and a minimal .xlsx built here (stored ZIP, inline strings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUnit, idNumber, xlsxOf } from './lib.mjs';
import { thisYear } from '../clock.mjs';

const REGION = '369104';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['姓名', '身份证号', '手机号', '中共党员', '用工性质', '职级', '农村工作经历', '涉农专业特长', '考核年度', '考核结果'];
const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
const upload = (session, unitId, body, type) => api('POST', `/api/v1/cadres/import?unit=${unitId}`, {
  session, raw: body, headers: { 'content-type': type },
});
const count = async (session, unitId) => (await api('GET', `/api/v1/cadres?unit=${unitId}`, { session })).body.total;
let seq = Math.floor(Math.random() * 900);

function roster() {
  seq += 3;
  const year = String(thisYear() - 1);
  return [
    HEADER,
    ['张导入', idNumber(REGION, '1985-01-15', seq), '13900000001', '是', '在编', '正科级（一、二级主任科员）', '是', '否', year, '优秀'],
    ['李导入', idNumber(REGION, '1988-02-16', seq + 1), '', '否', 'contract', 'deputy_section', '否', '是', year, 'competent'],
    ['王导入', idNumber(REGION, '1990-03-17', seq + 2), '13900000003', '1', '聘用', 'clerk', '0', '1', '', ''],
  ];
}

test('import csv: every error by row and column, nothing imported; the fixed file creates 3, again updates 3', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const good = roster();
  const bad = good.map((r) => [...r]);
  bad[2][1] = bad[2][1].slice(0, 17) + (bad[2][1][17] === '1' ? '2' : '1');  // row 3: wrong check character
  bad[3][4] = '合同工';                                                     // row 4: unknown 用工性质
  const before = await count(org, unit.id);
  const r = await upload(org, unit.id, csv(bad), 'text/csv');
  assertError(r, 422, 'import_invalid');
  const errors = r.body.error.errors;
  assert.ok(Array.isArray(errors), r.text);
  const e3 = errors.find((e) => e.row === 3);
  assert.ok(e3, JSON.stringify(errors));
  assert.equal(e3.column, 'B');
  assert.equal(e3.field, 'id_number');
  assert.equal(e3.code, 'id_checksum');
  assert.match(e3.message, /[\u4e00-\u9fff]/);
  const e4 = errors.find((e) => e.row === 4);
  assert.ok(e4, JSON.stringify(errors));
  assert.equal(e4.column, 'E');
  assert.equal(e4.field, 'employment_type');
  assert.ok(!errors.some((e) => e.row === 2), 'the good row has no error');
  assert.equal(await count(org, unit.id), before, 'nothing imported, not even the good row');

  const ok = await upload(org, unit.id, csv(good), 'text/csv; charset=utf-8');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.created, 3);
  assert.equal(ok.body.updated, 0);
  assert.equal(await count(org, unit.id), before + 3);
  const list = await api('GET', `/api/v1/cadres?unit=${unit.id}&q=${encodeURIComponent('张导入')}`, { session: org });
  const zhang = await api('GET', `/api/v1/cadres/${list.body.items[0].id}`, { session: org });
  assert.equal(zhang.body.party_member, true);
  assert.equal(zhang.body.employment_type, 'established');
  assert.equal(zhang.body.rank, 'section');
  assert.equal(zhang.body.rural_experience, true);
  assert.equal(zhang.body.appraisals[0].result, 'excellent');

  const again = await upload(org, unit.id, csv(good), 'text/csv');
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.created, 0);
  assert.equal(again.body.updated, 3);
  assert.equal(await count(org, unit.id), before + 3, 'no duplicates');
});

test('import: a wrong Content-Type → 415; a missing 身份证号 column → 422; the same ID twice in a file → 422', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const rows = roster();
  const r = await upload(org, unit.id, csv(rows), 'application/json');
  assertError(r, 415, 'unsupported_media_type');
  assertError(await upload(org, unit.id, csv(rows), 'application/octet-stream'), 415, 'unsupported_media_type');
  const noId = rows.map((x) => [x[0], x[2]]);
  const m = await upload(org, unit.id, csv(noId), 'text/csv');
  assertError(m, 422, 'import_invalid');
  assert.ok(m.body.error.errors.some((e) => e.row === 1 && e.field === 'id_number'));
  const dup = [rows[0], rows[1], rows[1]];
  const d = await upload(org, unit.id, csv(dup), 'text/csv');
  assertError(d, 422, 'import_invalid');
  assert.ok(d.body.error.errors.some((e) => e.row === 3 && e.column === 'B'));
  assert.equal(await count(org, unit.id), 0);
});

test('import: a unit imports into its own unit only', async () => {
  const leader = await as('unit_leader1');
  const org = await as('ruijin_org');
  const other = await createUnit(org);
  const r = await upload(leader, other.id, csv(roster()), 'text/csv');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.unit_id, leader.user.unit_id, 'the ?unit of a unit user is their own unit');
  assert.equal(await count(org, other.id), 0);
});

test('import xlsx: a minimal workbook (stored ZIP, inline strings) creates the cadres', async () => {
  const org = await as('ruijin_org');
  const unit = await createUnit(org);
  const book = xlsxOf(roster());
  assert.equal(book.subarray(0, 2).toString('latin1'), 'PK');
  const r = await upload(org, unit.id, book, XLSX);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.created, 3);
  assert.equal(r.body.updated, 0);
  assert.equal(await count(org, unit.id), 3);
  // a workbook with a bad row is refused as a whole, naming the row and column
  const rows = roster();
  rows[3][1] = rows[3][1].slice(0, 17) + (rows[3][1][17] === '1' ? '2' : '1');
  const bad = await upload(org, unit.id, xlsxOf(rows), XLSX);
  assertError(bad, 422, 'import_invalid');
  assert.ok(bad.body.error.errors.some((e) => e.row === 4 && e.column === 'B'), bad.text);
  assert.equal(await count(org, unit.id), 3);
  // not a ZIP at all
  const junk = await upload(org, unit.id, Buffer.from('not a workbook'), XLSX);
  assert.equal(junk.status, 400, junk.text);
});
