// Issue 11, part 2: the citations are the notice's own words. Every text GET /api/v1/policy shows as
// 通知：「…」 is a verbatim part of policy/notice.zh.txt (whitespace and quotation marks ignored, "…"
// an elision, as /work/shared/tools/quotes.py reads them); a rule the notice does not make names its
// own source; and a policy with a changed quote is refused when the server starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, as, copyDb, tempDir, zhucun } from './lib.mjs';

const POLICY_DIR = new URL('../../policy/', import.meta.url).pathname;
const norm = (s) => s.replace(/\s+/gu, '').replace(/[“”"‘’「」]/g, '');
const NOTICE = norm(readFileSync(join(POLICY_DIR, 'notice.zh.txt'), 'utf8'));

// Every quote in a text: 通知：「…」 up to its 」, 通知：“…” up to the first ”.
function quotes(text) {
  const out = [];
  const re = /通知[：:]\s*(?:「([^」]*)」|“([^”]*)”|"([^"]*)")/gu;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}
const missing = (q) => q.split(/…+|\.\.\.+/).map(norm).filter((f) => f && !NOTICE.includes(f));
function strings(v, out = []) {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

test('policy quotes: every 通知：「…」 of GET /api/v1/policy is in policy/notice.zh.txt', async () => {
  assert.ok(NOTICE.includes('各地每两年要对本级派出单位分管领导、组织人事部门负责人开展政策培训'), 'the notice itself');
  const r = await api('GET', '/api/v1/policy', { session: await as('sysadmin') });
  assert.equal(r.status, 200, r.text);
  let n = 0;
  const byId = {};
  for (const p of r.body.parameters) {
    byId[p.id] = [];
    for (const s of strings(p)) {
      for (const q of quotes(s)) {
        n++;
        byId[p.id].push(q);
        assert.equal(norm(q).length > 0, true, `${p.id}: an empty quote`);
        assert.deepEqual(missing(q), [], `${p.id}: 「${q}」 is not the notice's words`);
      }
    }
  }
  assert.ok(n >= 20, `${n} quotes`);
  // the quotes the review found paraphrased are there, now verbatim
  for (const id of ['fund_kinds', 'training_types', 'training_topics', 'commendation_kinds', 'cross_check_rules', 'age_limit_city'])
    assert.ok(byId[id].length > 0, `${id} quotes the notice`);
  assert.ok(byId.commendation_kinds.some((q) => q.includes('评先评优、提拔使用、评定职级、评聘职称')));
  assert.deepEqual(r.body.parameters.find((p) => p.id === 'commendation_kinds').value.map((k) => k.name_zh),
    ['评先评优', '提拔使用', '评定职级', '评聘职称'], 'the names are the notice\'s words too');
});

test('policy quotes: a rule the notice does not make names its source (local parameter, national 防返贫 rule), never the notice', async () => {
  const r = await api('GET', '/api/v1/policy', { session: await as('sysadmin') });
  assert.equal(r.status, 200, r.text);
  const byId = Object.fromEntries(r.body.parameters.map((p) => [p.id, p]));
  for (const p of r.body.parameters) {
    if (!p.local) continue;
    assert.equal(typeof p.source, 'string', `${p.id} (local) has a source`);
    assert.ok(p.source.length > 0 && !p.source.startsWith('通知'), `${p.id}: source ${p.source}`);
  }
  for (const id of ['monitoring_categories', 'risk_types', 'closure_criteria', 'measure_types', 'case_decision_max_days']) {
    assert.equal(byId[id].local, true, id);
    assert.match(byId[id].source, /国家防止返贫动态监测和帮扶机制.*非本通知/, id);
  }
  assert.match(byId.stay_in_village_evening_hour.source, /本地参数/);
});

test('policy quotes: the server refuses a policy whose quote is not the notice\'s words, naming the parameter and the quote', () => {
  const dir = tempDir();
  cpSync(POLICY_DIR, dir, { recursive: true });
  const file = join(dir, 'ganzhou.json');
  const text = readFileSync(file, 'utf8');
  const good = '对业绩突出、群众公认的驻村干部，在评先评优、提拔使用、评定职级、评聘职称等方面优先考虑';
  assert.ok(text.includes(good));
  const bad = '对表现优秀的驻村干部，在评优评先、提拔使用、职级晋升、职称评定等方面优先考虑';
  const at = text.lastIndexOf(good); // the parameter's quote (制度依据's clause 3.7 quotes it first)
  writeFileSync(file, text.slice(0, at) + bad + text.slice(at + good.length));
  const db = copyDb();
  const r = zhucun(['serve', '--db', db, '--port', '0', '--policy-dir', dir], { timeout: 60000 });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /\(commendation_kinds\): the quote 「对表现优秀的驻村干部/);
  assert.match(r.stderr, /not the notice's words/);
  // a sentence of 制度依据 (the clauses) is checked the same way
  writeFileSync(file, text.replace(good, bad));
  const c = zhucun(['serve', '--db', db, '--port', '0', '--policy-dir', dir], { timeout: 60000 });
  assert.equal(c.status, 1, c.stdout + c.stderr);
  assert.match(c.stderr, /"clauses": the quote 「[^」]*对表现优秀的驻村干部/);
  // without the notice the policy is not loaded either
  writeFileSync(file, text);
  writeFileSync(join(dir, 'notice.zh.txt'), '');
  const e = zhucun(['serve', '--db', db, '--port', '0', '--policy-dir', dir], { timeout: 60000 });
  assert.equal(e.status, 1, e.stdout + e.stderr);
  assert.match(e.stderr, /notice\.zh\.txt is empty/);
});
