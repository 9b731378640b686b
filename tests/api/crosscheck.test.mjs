// 疑点比对: each numbered rule of the policy (cross_check_rules) finds a case planted for it and not
// a clean record beside it; findings link to the record, are bounded by scope and export to Excel.
// R4 and R6 cannot be produced through the API (it refuses overlapping posts and a sheet without a
// 户主): they are for data that came in by other roads, so the test plants them with its own SQL (lib.mjs's
// sqlite(): sqlite3 on a file, psql on a server).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, idNumber, sqlite, DB } from './lib.mjs';
import { thisYear, today } from '../clock.mjs';

const X = '360781101205';   // 元田村 (瑞林镇)
const Y = '360781101206';   // 龙卧村 (瑞林镇)
const HEADER = ['户编号', '户主姓名', '户类型', '成员姓名', '身份证号', '与户主关系', '人均纯收入', '收入年度'];
const year = String(thisYear() - 1);
const csv = (rows) => [HEADER, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
let seq = 200 + Math.floor(Math.random() * 300);
const id = (birth) => idNumber('362103', birth, seq++);
let rrb, found;
const ids = {};

async function upload(village, rows) {
  const r = await api('POST', `/api/v1/households/import?village=${village}`, { session: rrb, raw: csv(rows), headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
}
async function household(village, no) {
  const r = await api('GET', `/api/v1/households?village=${village}&q=${no}`, { session: rrb });
  return r.body.items.find((h) => h.household_no === no);
}
const hits = (rule, entityId) => found.items.filter((f) => f.rule === rule && f.id === entityId);

before(async () => {
  rrb = await as('ruijin_rrb');
  const shared = id('1970-01-01'), twoVillages = id('1971-02-02');
  await upload(X, [
    ['R1A', '王一', '脱贫户', '王一', shared, '户主', '9000', year],                    // R1: shared with R1B
    ['CLEAN', '李清', '脱贫户', '李清', id('1972-03-03'), '户主', '9000', year],        // clean
    ['R2A', '赵二', '脱贫户', '赵二', twoVillages, '户主', '9000', year],               // R2: also in Y
    ['R3A', '孙三', '边缘易致贫户', '孙三', id('1973-04-04'), '户主', '20000', year],  // R3: > 7500 x 2
    ['R3N', '孙四', '边缘易致贫户', '孙四', id('1974-05-05'), '户主', '14000', year],  // below 2x: clean
    ['R5A', '周五', '脱贫户', '周五', id('1975-06-06'), '户主', '5000', year],          // R5: below, not monitored
    ['R6A', '吴六', '脱贫户', '吴六', id('1976-07-07'), '户主', '9000', year],          // R6: head removed below
  ]);
  await upload(X, [['R1B', '王二', '脱贫户', '王二', id('1977-08-08'), '户主', '9000', year],
                   ['R1B', '王二', '脱贫户', '王一', shared, '子女', '9000', year]]);
  await upload(Y, [['R2B', '赵三', '脱贫户', '赵三', id('1978-09-09'), '户主', '9000', year],
                   ['R2B', '赵三', '脱贫户', '赵二', twoVillages, '配偶', '9000', year]]);
  for (const no of ['R1A', 'R1B', 'CLEAN', 'R2A', 'R3A', 'R3N', 'R5A', 'R6A']) ids[no] = (await household(X, no))?.id;
  ids.R2B = (await household(Y, 'R2B'))?.id;
  const r6 = sqlite(DB, `UPDATE household_member SET relation = '其他' WHERE household_id = ${ids.R6A}`);
  assert.equal(r6.status, 0, r6.stderr);
  // R4: cadre A of 瑞红村 also holds an (ended) post in 元田村 whose dates overlap; cadre B does not
  const r4 = sqlite(DB, `INSERT INTO assignment (cadre_id, village_code, unit_id, post, kind, status, verdict, reasons,
      approval_region, start_date, term_end, ended_on, created_at)
    SELECT cadre_id, '${X}', unit_id, post, 'initial', 'ended', verdict, reasons, approval_region, date(start_date, '+1 day'),
      term_end, '${today()}', created_at FROM assignment
    WHERE village_code = '360781101200' AND status = 'active' ORDER BY id LIMIT 1 RETURNING id;`);
  assert.equal(r4.status, 0, r4.stderr);
  ids.R4 = Number(r4.stdout.trim());
  const r = await api('GET', `/api/v1/crosschecks?region=360781101&page_size=200`, { session: rrb });
  assert.equal(r.status, 200, r.text);
  found = r.body;
});

test('the rules are the policy\'s rows, numbered, each with its count', async () => {
  const policy = (await api('GET', '/api/v1/policy/values', { session: rrb })).body;
  const param = policy.parameters.find((p) => p.id === 'cross_check_rules');
  assert.deepEqual(found.rules.map((r) => r.code), param.value.map((r) => r.code));
  for (const r of found.rules) {
    assert.ok(Number.isInteger(r.number) && r.description_zh && r.clause, JSON.stringify(r));
    assert.equal(r.count, found.items.filter((f) => f.rule === r.code).length);
  }
  assert.equal(found.total, found.items.length);
  assert.equal(found.threshold, policy.parameters.find((p) => p.id === 'monitoring_income_threshold').value);
});

test('R1: one ID number in two households of a village — both found, the clean household not', async () => {
  assert.equal(hits('dup_id_same_village', ids.R1A).length, 1, JSON.stringify(found.items.filter((f) => f.village_code === X)));
  assert.equal(hits('dup_id_same_village', ids.R1B).length, 1);
  const f = hits('dup_id_same_village', ids.R1A)[0];
  assert.equal(f.link, `/households/${ids.R1A}`);
  assert.equal(f.entity, 'household');
  assert.match(f.detail, /户编号 R1B/);
  assert.ok(!/\d{17}[\dX]/.test(JSON.stringify(found)), 'no full ID number in the findings');
  for (const rule of found.rules.map((r) => r.code)) assert.equal(hits(rule, ids.CLEAN).length, 0, `${rule} on the clean household`);
});

test('R2: a member in two villages — found in both, not as R1', async () => {
  assert.equal(hits('member_two_villages', ids.R2A).length, 1);
  assert.equal(hits('member_two_villages', ids.R2B).length, 1);
  assert.equal(hits('dup_id_same_village', ids.R2A).length, 0);
  assert.equal(hits('member_two_villages', ids.R1A).length, 0);
});

test('R3 and R5: income against monitoring_income_threshold', async () => {
  assert.equal(hits('monitored_high_income', ids.R3A).length, 1);
  assert.equal(hits('monitored_high_income', ids.R3N).length, 0, 'above the threshold but not twice it');
  assert.equal(hits('low_income_not_monitored', ids.R5A).length, 1);
  assert.equal(hits('low_income_not_monitored', ids.R3N).length, 0);
  assert.match(hits('monitored_high_income', ids.R3A)[0].detail, /20000/);
  // a household that is no longer monitored is not a monitored household with high income
  const h = await household(X, 'R3A');
  const e = await api('PATCH', `/api/v1/households/${h.id}`, { session: rrb, body: { version: h.version, monitored: false } });
  assert.equal(e.status, 200, e.text);
  const again = await api('GET', `/api/v1/crosschecks?region=${X}&rule=monitored_high_income`, { session: rrb });
  assert.equal(again.body.items.filter((f) => f.id === ids.R3A).length, 0);
  assert.ok(again.body.items.every((f) => f.rule === 'monitored_high_income'), 'filtered by rule');
});

test('R4 and R6: a cadre with overlapping posts in two villages; a household without a 户主', async () => {
  const r4 = found.items.filter((f) => f.rule === 'cadre_two_villages');
  assert.ok(r4.some((f) => f.id === ids.R4 && f.entity === 'assignment' && f.link === `/assignments/${ids.R4}`), JSON.stringify(r4));
  assert.ok(r4.length >= 2, 'both posts of the cadre are listed');
  const others = await api('GET', '/api/v1/assignments?village=360781101200&page_size=50', { session: rrb });
  const actives = others.body.items.filter((a) => a.status === 'active' && a.village_code === '360781101200');
  const first = Math.min(...actives.map((a) => a.id));
  assert.ok(r4.some((f) => f.id === first), 'the cadre\'s current post is listed too');
  const clean = actives.filter((a) => a.id !== first);
  assert.ok(clean.length > 0);
  for (const a of clean) assert.ok(!r4.some((f) => f.id === a.id), `assignment ${a.id} is clean`);
  assert.equal(hits('no_household_head', ids.R6A).length, 1);
  assert.equal(hits('no_household_head', ids.R1A).length, 0);
});

test('scope, filters, export: another township sees none of these; a bad rule is refused', async () => {
  const town = await api('GET', '/api/v1/crosschecks?page_size=200', { session: await as('shazhouba_sec') });
  assert.equal(town.status, 200);
  assert.ok(town.body.items.every((f) => f.village_code.startsWith('360781104')), 'only 沙洲坝镇');
  assertError(await api('GET', '/api/v1/crosschecks?region=360781101', { session: await as('shazhouba_sec') }), 404, 'not_found', 'region');
  assertError(await api('GET', '/api/v1/crosschecks?rule=nope', { session: rrb }), 400, 'field_invalid', 'rule');
  const x = await api('GET', `/api/v1/crosschecks?region=${X}&format=xlsx`, { session: rrb });
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const page = await api('GET', `/api/v1/crosschecks?region=360781101&page_size=2&page=2`, { session: rrb });
  assert.deepEqual(page.body.items.map((f) => f.id), found.items.slice(2, 4).map((f) => f.id));
});
