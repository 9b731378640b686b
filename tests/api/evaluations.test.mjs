// 年度考核 / 任期考核 (issue 12 part 1): the county opens a round; each cadre's 述职 (drafted by the
// server from the record, edited, submitted); the township's 民主测评 (typed, or a sheet) and
// opinion; the dispatching unit's opinion; the county's result and confirmation under the 优秀 cap
// (evaluation_excellent_max_percent of those evaluated). Each step by its role and in scope; double
// submissions refused; the confirmed result is what eligibility (1.3c, 1.4) and commendations (3.7) read.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, as, assertError, createUser, eligibility, login, reasonOf, todayCST } from './lib.mjs';

const year = Number(todayCST().slice(0, 4));
let org, sec, otherSec, rrb, round, evals;
const cadreSession = new Map();
const unitSession = new Map();
// the township secretary of an evaluation's township: shazhouba_sec for 沙洲坝镇, a fresh account for
// another township whose cadre's term also ends this year (the demo's draws decide how many there are)
const townSession = new Map();
async function town(e) {
  if (e.township_code === '360781104') return sec;
  if (!townSession.has(e.township_code)) {
    const u = await createUser({ role: 'township_secretary', region_code: e.township_code });
    townSession.set(e.township_code, await login(u.username, u.password));
  }
  return townSession.get(e.township_code);
}

const csv = (rows) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n';
const step = (session, id, body) => api('POST', `/api/v1/evaluations/${id}/steps`, { session, body });
const get = async (session, id) => {
  const r = await api('GET', `/api/v1/evaluations/${id}`, { session });
  assert.equal(r.status, 200, r.text);
  return r.body;
};
const todoKinds = async (s) => (await api('GET', '/api/v1/me/todo', { session: s })).body.items.map((x) => x.kind);
const votes = [
  { group: 'village_cadres', good: 6, fair: 2, average: 1, poor: 0 },
  { group: 'villagers', good: 20, fair: 8, average: 3, poor: 1 },
];

before(async () => {
  org = await as('ruijin_org');
  sec = await as('shazhouba_sec');
  otherSec = await as('xianghu_sec');
  rrb = await as('ruijin_rrb');
});

test('the county opens a round of the cadres whose term ends this year; only the county organization department, once', async () => {
  assertError(await api('POST', '/api/v1/evaluation-rounds', { session: sec, body: { kind: 'term', year } }), 403, 'forbidden');
  assertError(await api('POST', '/api/v1/evaluation-rounds', { session: rrb, body: { kind: 'term', year } }), 403, 'forbidden');
  assertError(await api('POST', '/api/v1/evaluation-rounds', { session: org, body: { kind: 'monthly', year } }), 400, 'field_invalid', 'kind');
  assertError(await api('POST', '/api/v1/evaluation-rounds', { session: org, body: { kind: 'term', year: year + 1 } }), 400, 'field_invalid', 'year');
  assertError(await api('POST', '/api/v1/evaluation-rounds', { session: org, body: { kind: 'term', year: year - 2 } }), 409, 'nobody', 'year');
  const r = await api('POST', '/api/v1/evaluation-rounds', { session: org, body: { kind: 'term', year } });
  assert.equal(r.status, 201, r.text);
  round = r.body;
  assert.equal(round.status, 'open');
  assert.equal(round.kind_name, '任期考核');
  assert.ok(round.evaluated >= 2, `the demo's township has a recall and a term ending this year: ${round.evaluated}`);
  assert.equal(round.excellent_max_percent, 20);
  assert.equal(round.excellent_cap_now, Math.floor(round.evaluated * 20 / 100));
  assert.ok(round.townships.length >= 1);
  assertError(await api('POST', '/api/v1/evaluation-rounds', { session: org, body: { kind: 'term', year } }), 409, 'duplicate', 'year');
  const l = await api('GET', `/api/v1/evaluations?round=${round.id}&page_size=200`, { session: org });
  assert.equal(l.status, 200, l.text);
  evals = l.body.items;
  assert.equal(evals.length, round.evaluated);
  for (const e of evals) {
    assert.equal(e.waiting, 'report');
    assert.ok(e.term_end.startsWith(String(year)) || e.term_end >= `${year}-01-01`, e.term_end);
    const c = await createUser({ role: 'cadre', cadre_id: e.cadre_id, region_code: undefined });
    cadreSession.set(e.id, await login(c.username, c.password));
    if (!unitSession.has(e.unit_id)) {
      const u = await createUser({ role: 'unit_leader', unit_id: e.unit_id, region_code: undefined });
      unitSession.set(e.unit_id, await login(u.username, u.password));
    }
  }
  // 待办: the cadres' 述职 waits; nothing yet for the township
  assert.ok((await todoKinds(cadreSession.get(evals[0].id))).includes('evaluation_report'));
  assert.ok(!(await todoKinds(sec)).includes('evaluation_votes'), 'nothing to vote on before a 述职');
  // a township outside sees nothing of it; the township inside sees its own
  const out = await api('GET', `/api/v1/evaluations?round=${round.id}`, { session: otherSec });
  assert.equal(out.body.total, 0);
  assertError(await api('GET', `/api/v1/evaluations/${evals[0].id}`, { session: otherSec }), 404, 'not_found');
  const inside = await api('GET', `/api/v1/evaluations?round=${round.id}&page_size=200`, { session: sec });
  assert.ok(inside.body.total >= 1);
  // the steps below are the township's: its own cadres first, in the list's order
  const mine = new Set(inside.body.items.map((x) => x.id));
  evals.sort((a, b) => Number(mine.has(b.id)) - Number(mine.has(a.id)));
});

test('述职: drafted from the cadre\'s record, saved, submitted once; nobody else writes it; the steps wait for it', async () => {
  const e = evals[0];
  const me = cadreSession.get(e.id);
  const d = await get(me, e.id);
  assert.equal(d.can_report, true);
  assert.match(d.report_draft, /在村 \d+ 天/);
  assert.match(d.report_draft, new RegExp(d.village_name));
  assert.equal(typeof d.facts.days_in_village, 'number');
  assert.equal(d.facts.days_in_village > 0, true, 'the demo cadre was checked in this year');
  assert.ok(d.facts.min_days_in_village > 0);
  // the township cannot take a step before the 述职 is in
  assertError(await step(sec, e.id, { step: 'votes', version: d.version, votes }), 409, 'report_first');
  // another cadre cannot see it, a township cannot write it
  const other = cadreSession.get(evals[1].id);
  assertError(await api('GET', `/api/v1/evaluations/${e.id}`, { session: other }), 404, 'not_found');
  assertError(await api('PUT', `/api/v1/evaluations/${e.id}/report`, { session: sec, body: { version: d.version, text: d.report_draft } }), 403, 'forbidden');
  let r = await api('PUT', `/api/v1/evaluations/${e.id}/report`, { session: me, body: { version: d.version, text: `${d.report_draft}\n草稿` } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.report_at, null);
  assert.match(r.body.report_text, /草稿$/);
  assertError(await api('PUT', `/api/v1/evaluations/${e.id}/report`, { session: me, body: { version: d.version, text: 'x' } }), 409, 'stale', 'version');
  r = await api('PUT', `/api/v1/evaluations/${e.id}/report`, { session: me, body: { version: r.body.version, text: `${d.report_draft}\n下一步：抓好产业项目。`, submit: true } });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.report_at);
  assert.equal(r.body.waiting, 'votes');
  assertError(await api('PUT', `/api/v1/evaluations/${e.id}/report`, { session: me, body: { version: r.body.version, text: '再交一次再交一次再交一次再交一次再交一次再交一次', submit: true } }), 409, 'already_done');
  assert.ok(!(await todoKinds(me)).includes('evaluation_report'));
  assert.ok((await todoKinds(sec)).includes('evaluation_votes'));
  // the others' 述职, straight in
  for (const x of evals.slice(1)) {
    const s = cadreSession.get(x.id);
    const dx = await get(s, x.id);
    const w = await api('PUT', `/api/v1/evaluations/${x.id}/report`, { session: s, body: { version: dx.version, text: dx.report_draft, submit: true } });
    assert.equal(w.status, 200, w.text);
  }
});

test('民主测评 and the township\'s opinion: by the township, checked, once; a sheet import all or nothing', async () => {
  const [a, b] = evals;
  let d = await get(sec, a.id);
  assert.equal(d.can_votes, true);
  assertError(await step(org, a.id, { step: 'votes', version: d.version, votes }), 403, 'forbidden');
  assertError(await step(otherSec, a.id, { step: 'votes', version: d.version, votes }), 404, 'not_found');
  assertError(await step(sec, a.id, { step: 'votes', version: d.version, votes: [{ group: 'aliens', good: 1, fair: 0, average: 0, poor: 0 }] }), 400, 'field_invalid', 'votes');
  assertError(await step(sec, a.id, { step: 'votes', version: d.version, votes: [{ group: 'villagers', good: -1, fair: 0, average: 0, poor: 0 }] }), 400, 'field_invalid', 'votes');
  assertError(await step(sec, a.id, { step: 'votes', version: d.version, votes: [votes[0], votes[0]] }), 400, 'field_invalid', 'votes');
  assertError(await step(sec, a.id, { step: 'township', version: d.version, opinion: '同意' }), 409, 'votes_first');
  let r = await step(sec, a.id, { step: 'votes', version: d.version, votes });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.votes_total.voters, 41);
  assert.equal(r.body.votes_total.good, 26);
  assert.equal(r.body.votes[1].group_name, '群众代表');
  assertError(await step(sec, a.id, { step: 'votes', version: r.body.version, votes }), 409, 'already_done');
  assertError(await step(sec, a.id, { step: 'votes', version: d.version, votes }), 409, 'already_done');
  r = await step(sec, a.id, { step: 'township', version: r.body.version, opinion: '该同志吃住在村，履职尽责，群众认可。' });
  assert.equal(r.status, 200, r.text);
  assertError(await step(sec, a.id, { step: 'township', version: r.body.version, opinion: '再提交' }), 409, 'already_done');

  // the second by a sheet: a bad sheet imports nothing
  const sb = await town(b);
  d = await get(sb, b.id);
  const upload = (rows, version = d.version) => api('POST', `/api/v1/evaluations/${b.id}/votes/import?version=${version}`, {
    session: sb, raw: csv(rows), headers: { 'content-type': 'text/csv' } });
  let bad = await upload([['投票人类别', '好', '较好', '一般', '差'], ['党员代表', '9', '三', '0', '0'], ['外星人', '1', '0', '0', '0']]);
  assertError(bad, 422, 'import_invalid');
  assert.equal(bad.body.error.errors.length, 2);
  assert.equal((await get(sb, b.id)).votes_at, null);
  bad = await upload([['类别', '好'], ['党员代表', '9']]);
  assertError(bad, 422, 'import_invalid');
  r = await upload([['投票人类别', '好', '较好', '一般', '差'], ['党员代表', '9', '3', '1', '0'], ['群众代表', '15', '5', '2', '1']]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.votes_source, 'sheet');
  assert.equal(r.body.votes_total.voters, 36);
  assertError(await upload([['投票人类别', '好', '较好', '一般', '差'], ['党员代表', '1', '0', '0', '0']], r.body.version), 409, 'already_done');
  for (const x of evals.slice(1)) {
    const sx = await town(x);
    let dx = await get(sx, x.id);
    if (!dx.votes_at) dx = (await step(sx, x.id, { step: 'votes', version: dx.version, votes })).body;
    const t = await step(sx, x.id, { step: 'township', version: dx.version, opinion: '同意其述职。' });
    assert.equal(t.status, 200, t.text);
  }
});

test('the unit\'s opinion: by its own leaders only, once', async () => {
  assert.ok((await todoKinds(unitSession.get(evals[0].unit_id))).includes('evaluation_unit'));
  assert.ok(!(await todoKinds(org)).includes('evaluation_result'), 'the county waits for the opinions');
  for (const e of evals) {
    const mine = unitSession.get(e.unit_id);
    const d = await get(mine, e.id);
    assert.equal(d.can_unit, true);
    const stranger = [...unitSession.entries()].find(([u]) => u !== e.unit_id);
    if (stranger) assertError(await step(stranger[1], e.id, { step: 'unit', version: d.version, opinion: '同意' }), 404, 'not_found');
    // the township's own secretary sees the record but the unit's opinion is not theirs to give
    assertError(await step(await town(e), e.id, { step: 'unit', version: d.version, opinion: '同意' }), 403, 'forbidden');
    assertError(await step(mine, e.id, { step: 'unit', version: d.version, opinion: '' }), 400, 'field_required', 'opinion');
    const r = await step(mine, e.id, { step: 'unit', version: d.version, opinion: '单位党组织同意乡镇党委意见。' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.waiting, 'result');
    assertError(await step(mine, e.id, { step: 'unit', version: r.body.version, opinion: '再来' }), 409, 'already_done');
  }
});

test('the county decides, with the facts beside; 优秀 above the cap is refused at confirmation; then eligibility and commendations read the result', async () => {
  const [a, ...rest] = evals;
  assert.ok((await todoKinds(org)).includes('evaluation_result'));
  let d = await get(org, a.id);
  assert.equal(d.can_result, true);
  for (const k of ['days_in_village', 'min_days_in_village', 'violations', 'accountability', 'training_hours', 'households', 'households_visited', 'cases_raised'])
    assert.ok(k in d.facts, `fact ${k}`);
  assertError(await step(sec, a.id, { step: 'result', version: d.version, result: 'excellent' }), 403, 'forbidden');
  assertError(await step(org, a.id, { step: 'result', version: d.version, result: 'great' }), 400, 'field_invalid', 'result');
  // the cadre's last appraisal before: not this round's
  const before = reasonOf(await eligibility(org, a.cadre_id, a.unit_id), 'appraisal');
  assert.doesNotMatch(before.message, new RegExp(`${year} 年度`));
  // not all decided: nothing to confirm yet
  let r = await step(org, a.id, { step: 'result', version: d.version, result: 'excellent' });
  assert.equal(r.status, 200, r.text);
  assertError(await api('POST', `/api/v1/evaluation-rounds/${round.id}/confirm`, { session: org }), 409, 'undecided');
  for (const x of rest) {
    const dx = await get(org, x.id);
    assert.equal((await step(org, x.id, { step: 'result', version: dx.version, result: 'incompetent', comment: '任期内被召回或履职不力' })).status, 200);
  }
  // every cadre excellent beyond the cap: refused, with the cap and the count in Chinese
  const cap = Math.floor(evals.length * 20 / 100);
  const over = await api('POST', `/api/v1/evaluation-rounds/${round.id}/confirm`, { session: org });
  if (cap < 1) {
    assertError(over, 409, 'excellent_over_cap', 'result');
    assert.match(over.body.error.message, /20%/);
    assert.match(over.body.error.message, new RegExp(`参加考核 ${evals.length} 人`));
    assert.match(over.body.error.message, new RegExp(`优秀至多 ${cap} 人，现定为优秀的有 1 人`));
    assert.equal((await api('GET', `/api/v1/evaluation-rounds/${round.id}`, { session: org })).body.status, 'open');
  }
  // the result may change until confirmation; the round is confirmed once
  d = await get(org, a.id);
  r = await step(org, a.id, { step: 'result', version: d.version, result: 'basically_competent' });
  assert.equal(r.status, 200, r.text);
  assertError(await api('POST', `/api/v1/evaluation-rounds/${round.id}/confirm`, { session: sec }), 403, 'forbidden');
  const ok = await api('POST', `/api/v1/evaluation-rounds/${round.id}/confirm`, { session: org });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, 'confirmed');
  assert.equal(ok.body.excellent_cap, cap);
  assertError(await api('POST', `/api/v1/evaluation-rounds/${round.id}/confirm`, { session: org }), 409, 'already_confirmed');
  d = await get(org, a.id);
  assertError(await step(org, a.id, { step: 'result', version: d.version, result: 'competent' }), 409, 'round_confirmed');

  // 1.3c: eligibility reads the confirmed result (基本称职 = 表现较差 in the local reading)
  const after = reasonOf(await eligibility(org, a.cadre_id, a.unit_id), 'appraisal');
  assert.equal(after.code, 'appraisal_poor');
  assert.match(after.message, new RegExp(`${year} 年度，驻村考核确定）为基本称职`));
  const cadre = await api('GET', `/api/v1/cadres/${a.cadre_id}`, { session: org });
  const mine = cadre.body.appraisals.find((x) => x.year === year);
  assert.deepEqual(mine, { year, result: 'basically_competent', source: 'evaluation' });
  // history kept: last year's confirmed round is still there
  const rounds = await api('GET', '/api/v1/evaluation-rounds', { session: org });
  assert.ok(rounds.body.items.some((x) => x.year === year - 1 && x.status === 'confirmed'));
  // 3.7: a commendation of the cadre shows the confirmed result it stands on
  const c = await api('POST', '/api/v1/commendations', { session: org, body: {
    subject: 'cadre', cadre_id: a.cadre_id, kind: 'award', level: 'county', date: todayCST(),
    doc_no: `瑞组字〔${year}〕${a.id}号`, title: '驻村工作表彰', reason: '任期考核后读取考核等次' } });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.evaluation_year, year);
  assert.equal(c.body.evaluation_result, 'basically_competent');
  assert.equal(c.body.evaluation_result_name, '基本称职');
  // nothing of this round waits on anyone any more
  assert.ok(!(await todoKinds(org)).includes('evaluation_result'));
});

test('the demo holds last year\'s confirmed 年度考核 of 瑞金市 within its 优秀 cap', async () => {
  const rounds = await api('GET', '/api/v1/evaluation-rounds', { session: org });
  const last = rounds.body.items.find((x) => x.year === year - 1 && x.kind === 'annual');
  assert.ok(last, 'last year\'s round');
  assert.equal(last.status, 'confirmed');
  assert.equal(last.decided, last.evaluated);
  assert.ok(last.excellent > 0 && last.excellent <= Math.floor(last.evaluated * 20 / 100), `${last.excellent} of ${last.evaluated}`);
  const mine = await api('GET', '/api/v1/evaluations', { session: await as('cadre1') });
  assert.ok(mine.body.items.some((x) => x.year === year - 1 && x.result_name));
});
