// Issue 14: the rules and names as officials read them.
// - 制度依据 (GET /api/v1/policy/basis) for every role, the cadre too: the notice's sentences part by
//   part (each verbatim) and the parameters in words, with the local document of a local rule;
// - the raw policy file (keys, values, SHA-256) answers 403 to everyone but the administrators;
// - the audit log in words: every action code written anywhere in src/ has its phrase, and a row
//   says who (name and role), did what, to what ("沙洲坝村 张三 的请假");
// - villages by their short names (沙洲坝村), the official name kept for the village page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, api, as, todayCST } from './lib.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const norm = (s) => s.replace(/\s+/gu, '').replace(/[“”"‘’「」]/g, '');
const NOTICE = norm(readFileSync(join(ROOT, 'policy/notice.zh.txt'), 'utf8'));

test('制度依据: a cadre reads the notice part by part, each sentence verbatim, the parameters in words', async () => {
  const r = await api('GET', '/api/v1/policy/basis', { session: await as('cadre1') });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.parts.map((p) => p.part), ['一', '二', '三', '四', '五']);
  assert.equal(r.body.parts[0].title, '严格驻村干部选派标准');
  const clauses = r.body.parts.flatMap((p) => p.clauses);
  for (const c of clauses) {
    assert.ok(c.sentence && c.topic, JSON.stringify(c));
    for (const f of c.sentence.split(/…+/).map(norm).filter(Boolean)) assert.ok(NOTICE.includes(f), `${c.id}: ${f}`);
  }
  const byId = Object.fromEntries(clauses.map((c) => [c.id, c]));
  assert.equal(byId['1.6'].sentence, '严格落实 15 日交接过渡期要求');
  const words = clauses.flatMap((c) => c.parameters);
  const days = words.find((p) => p.id === 'min_days_in_village_per_month');
  assert.equal(days.words, '驻村干部每月在村不少于 20 天');
  assert.equal(days.local, true);
  assert.equal(days.source, '本地参数（通知未作规定）');
  assert.ok(byId['1.6'].parameters.some((p) => p.words === '新老驻村干部交接过渡期 15 天，期间两人同时在岗'));
  assert.equal(words.find((p) => p.id === 'blocked_employment_types').words, '临聘、勤杂人员不得选派', 'codes named');
  assert.equal(words.find((p) => p.id === 'training_deadline').words, '培训每年 6月30日 前启动，9月30日 前基本完成');
  for (const p of words) {
    assert.doesNotMatch(p.words, /\{|[a-z]{3,}_[a-z]/, `${p.id}: no slot or key left: ${p.words}`);
    if (!p.local) assert.equal(p.source ?? null, null, `${p.id}: the notice's own rule names no other source`);
  }
  // a range of clauses ("2.2-5.7") is shown under its first clause
  assert.ok(byId['2.2a'].parameters.some((p) => p.id === 'record_lock_days'));
});

test('政策参数: the raw file and its hash for the administrators only; the values the forms need for everyone', async () => {
  for (const who of ['cadre1', 'unit_leader1', 'ruijin_org', 'shazhouba_sec']) {
    const s = await as(who);
    const raw = await api('GET', '/api/v1/policy', { session: s });
    assert.equal(raw.status, 403, `${who}: ${raw.text}`);
    assert.equal(raw.body.error.code, 'forbidden');
    assert.equal(raw.body.sha256, undefined);
    const me = await api('GET', '/api/v1/session', { session: s });
    assert.ok(me.body.menu.includes('basis') && !me.body.menu.includes('policy'), `${who}: ${me.body.menu}`);
    const values = await api('GET', '/api/v1/policy/values', { session: s });
    assert.equal(values.status, 200, values.text);
    const leave = values.body.parameters.find((p) => p.id === 'leave_types');
    assert.ok(leave.value.some((t) => t.code === 'sick' && t.name_zh === '病假'));
    assert.equal(values.body.sha256, undefined);
    assert.equal(values.body.parameters[0].description_zh, undefined);
  }
  for (const who of ['sysadmin', 'secadmin', 'auditadmin']) {
    const s = await as(who);
    const raw = await api('GET', '/api/v1/policy', { session: s });
    assert.equal(raw.status, 200, `${who}: ${raw.text}`);
    assert.match(raw.body.sha256, /^[0-9a-f]{64}$/);
    assert.ok((await api('GET', '/api/v1/session', { session: s })).body.menu.includes('policy'), who);
  }
});

// ---- the audit log in words ----
function sources(dir, out = []) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.c')) out.push(p);
  }
  return out;
}

// Every action code a row of the log can carry: the literals handed to the writing calls, then
// every literal of the same families anywhere in src/ (an action chosen in a variable, e.g.
// "leave.approve" : "leave.refuse"), then the families built with "prefix.%s".
function actionCodes() {
  const codes = new Set();
  const literal = /"([a-z][a-z_]*)\.([a-z_]+)"/g;
  const files = sources(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8'));
  for (const text of files) {
    const calls = [...text.matchAll(/handler_audit\(req, "([a-z_.]+)"|console_audit\(db, ([^;]*)\)|audit_login\(([^;]*)\)|struct audit_entry e = \{([^}]*)\}|\.action = "([a-z_.]+)"/g)];
    for (const m of calls) {
      if (m[1] || m[5]) codes.add(m[1] || m[5]); // m[5]: a write described for http/write_tx
      for (const x of (m[2] || m[3] || m[4] || '').matchAll(literal)) codes.add(`${x[1]}.${x[2]}`);
    }
  }
  const prefixes = new Set([...codes].map((c) => c.split('.')[0]));
  for (const text of files) for (const x of text.matchAll(literal)) if (prefixes.has(x[1])) codes.add(`${x[1]}.${x[2]}`);
  const read = (f) => readFileSync(join(ROOT, f), 'utf8');
  const families = {
    case: [...read('src/core/case_flow.c').match(/ACTION_CODE\[CASE_ACTION_COUNT\] = \{([^}]*)\}/)[1].matchAll(/"(\w+)"/g)].map((m) => m[1]),
    assignment: [...read('src/core/post_life.c').matchAll(/case POST_[A-Z]+: return "(\w+)"/g)].map((m) => m[1]),
    // transition(req, rep, from, to, ACTION, ...): the action is the fifth argument
    plan: [...read('src/http/h_plans.c').matchAll(/return transition\(req, rep, ("[^"]*"), ((?:[^,"]|"[^"]*")+), ((?:[^,"]|"[^"]*")+),/g)]
      .flatMap((m) => [...m[3].matchAll(/"(\w+)"/g)].map((x) => x[1])),
    // finish_step(req, rep, &s, ACTION, body): the 考核 steps, the action the fourth argument
    evaluation: [...read('src/http/h_evaluations.c').matchAll(/finish_step\(req, rep, &s, ([^;]*), [^,;]*\);/g)]
      .flatMap((m) => [...m[1].matchAll(/"(\w+)"/g)].map((x) => x[1]))
  };
  const found = new Set();
  for (const text of files) // "prefix.%s" written into a variable that an audit call then takes
    for (const m of text.matchAll(/snprintf\((\w+), sizeof \1, "([a-z_]+)\.%s"/g))
      if (new RegExp(`handler_audit\\(req, ${m[1]},|audit_entry e = \\{[^}]*\\b${m[1]}\\b|\\.action = ${m[1]}\\b`).test(text)) found.add(m[2]);
  assert.deepEqual([...found].sort(), Object.keys(families).sort(), 'every "prefix.%s" family is expanded here');
  for (const [prefix, names] of Object.entries(families)) {
    assert.ok(names.length >= 2, prefix);
    for (const n of names) codes.add(`${prefix}.${n}`);
  }
  return codes;
}

test('audit phrases: every action code written anywhere in src/ has its Chinese phrase', async () => {
  const codes = actionCodes();
  assert.ok(codes.size > 80, `found ${codes.size}`);
  for (const c of ['leave.approve', 'leave.refuse', 'session.login_failed', 'user.disable', 'policy.change', 'case.close_verify', 'assignment.handover', 'plan.return'])
    assert.ok(codes.has(c), `the grep finds ${c}`);
  const r = await api('GET', '/api/v1/audit/phrases', { session: await as('auditadmin') });
  assert.equal(r.status, 200, r.text);
  const phrase = Object.fromEntries(r.body.items.map((x) => [x.code, x.phrase]));
  const missing = [...codes].filter((c) => !phrase[c]);
  assert.deepEqual(missing, [], 'codes without a phrase');
  for (const p of Object.values(phrase)) assert.doesNotMatch(p, /[a-z]+[._][a-z]+|^[a-z]/, p);
  assert.equal((await api('GET', '/api/v1/audit/phrases', { session: await as('cadre1') })).status, 403);
});

test('audit log in words: who (name, role), when, did what, to what; the codes only in the technical details', async () => {
  const cadre = await as('cadre1');
  const start = addDays(todayCST(), 131);
  const r = await api('POST', '/api/v1/leaves', { session: cadre, body: { type: 'personal', reason: '家中有事', start_date: start, end_date: start } });
  assert.equal(r.status, 201, r.text);
  const c = await api('POST', `/api/v1/leaves/${r.body.id}/cancel`, { session: cadre, body: {} });
  assert.equal(c.status, 200, c.text);
  const me = (await api('GET', '/api/v1/session', { session: cadre })).body.user;
  const person = (await api('GET', `/api/v1/cadres/${me.cadre_id}`, { session: cadre })).body.name;
  const log = await api('GET', '/api/v1/audit?action=leave.request&user=cadre1&page_size=50', { session: await as('auditadmin') });
  assert.equal(log.status, 200, log.text);
  const row = log.body.items.find((x) => x.entity_id === String(r.body.id));
  assert.ok(row, 'the row of the request');
  assert.equal(row.action_zh, '申请请假');
  assert.equal(row.who, `${me.display_name}（驻村干部）`);
  assert.equal(row.object_zh, `沙洲坝村 ${person} 的请假`, 'the village and the cadre the leave is of');
  assert.match(row.detail_zh, /原因：家中有事/);
  assert.doesNotMatch(row.detail_zh, /[{}"]/);
  assert.match(row.time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.equal(row.action, 'leave.request', 'the code stays for the technical details');
  const logins = await api('GET', '/api/v1/audit?action=session.login&user=cadre1', { session: await as('auditadmin') });
  assert.equal(logins.body.items[0].action_zh, '登录');
});

test('villages by their short names in lists, the official name on the village page', async () => {
  const sec = await as('shazhouba_sec');
  const r = await api('GET', '/api/v1/villages?page_size=200', { session: sec });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length > 5);
  for (const v of r.body.items) assert.match(v.name, /(村|社区)$/, v.name);
  for (const v of r.body.items) assert.doesNotMatch(v.name, /委员会|村委会|居委会/, v.name);
  const sz = r.body.items.find((v) => v.name === '沙洲坝村');
  assert.ok(sz, 'the demo village 沙洲坝村');
  const one = await api('GET', `/api/v1/villages/${sz.code}`, { session: sec });
  assert.equal(one.body.name, '沙洲坝村');
  assert.match(one.body.official_name, /^沙洲坝(村民委员会|村委会)$/);
  const region = await api('GET', `/api/v1/regions/${sz.code}`, { session: sec });
  assert.equal(region.body.name, '沙洲坝村');
  assert.equal(region.body.official_name, one.body.official_name);
  const township = await api('GET', `/api/v1/regions?parent=${region.body.parent_code}`, { session: sec });
  for (const v of township.body.items) assert.match(v.name, /(村|社区)$/, v.name);
});
