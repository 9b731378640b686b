// A write that fails half-way leaves nothing and answers 500 (http/write_tx, issue 16): the store has
// already written part of it when the next step fails, and the whole transaction goes. The failures
// are real: on a copy of the database, triggers refuse one step of each write —
// - a violation (2.5): the row is written, its message to the unit is refused;
// - a roster import: every row is written, the import's audit row is refused;
// - a login: the session is made, its audit row is refused;
// - an Excel export: the list is read, its audit row is refused (no file without its audit row).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, api, copyDb, dropTriggerSql, idNumber, login, refuseInsertSql, serveAt, sqlite, uniq } from './lib.mjs';
import { thisYear } from '../clock.mjs';

const INTERNAL = { error: { code: 'internal', message: '服务器内部错误，请稍后重试', field: null } };
const planted = (db) => [
  refuseInsertSql(db, 'planted_violation', 'notification_event', "NEW.kind = 'violation_feedback'"),
  refuseInsertSql(db, 'planted_import', 'audit', "NEW.action = 'cadre.import'"),
  refuseInsertSql(db, 'planted_login', 'audit', "NEW.action = 'session.login' AND NEW.username = 'unit_leader1'"),
  refuseInsertSql(db, 'planted_export', 'audit', "NEW.action = 'export.xlsx'"),
].join(' ');

const count = (db, sql) => {
  const r = sqlite(db, sql);
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
};

test('a write whose later step fails leaves nothing behind and answers 500', async () => {
  const db = copyDb('write_failures.db');
  const plant = sqlite(db, planted(db));
  assert.equal(plant.status, 0, plant.stderr);
  const unit = count(db, "SELECT min(id) FROM unit WHERE region_code LIKE '360781%'");
  const s = await serveAt(db, '2026-06-10T11:00:00+08:00');
  const base = s.url;
  let end;
  try {
    const sec = await login('shazhouba_sec', undefined, base);
    const org = await login('ruijin_org', undefined, base);
    const cadre = await login('cadre1', undefined, base);

    // 2.5: the violation's row is written before its message is refused
    const description = uniq('未请假离村');
    const violations = count(db, 'SELECT count(*) FROM violation');
    const audits = count(db, "SELECT count(*) FROM audit WHERE action = 'violation.create'");
    const v = await api('POST', '/api/v1/violations', {
      session: sec, base,
      body: { cadre_id: cadre.user.cadre_id, date: '2026-06-09', kind: 'absent_without_leave', description },
    });
    assert.equal(v.status, 500, `a violation whose message is refused: ${v.status} ${v.text}`);
    assert.deepEqual(v.body, INTERNAL);
    assert.equal(count(db, 'SELECT count(*) FROM violation'), violations, 'no violation row');
    assert.equal(count(db, "SELECT count(*) FROM audit WHERE action = 'violation.create'"), audits);

    // a roster import: every row is written before the audit row is refused
    const name = uniq('导入失败');
    const year = String(thisYear() - 1);
    const csv = ['姓名,身份证号,手机号,中共党员,用工性质,职级,农村工作经历,涉农专业特长,考核年度,考核结果',
      `${name},${idNumber('369104', '1986-04-18', Math.floor(Math.random() * 900))},13900000009,是,在编,clerk,是,否,${year},优秀`]
      .join('\r\n') + '\r\n';
    const cadres = count(db, 'SELECT count(*) FROM cadre');
    const imp = await api('POST', `/api/v1/cadres/import?unit=${unit}`, {
      session: org, base, raw: csv, headers: { 'content-type': 'text/csv' },
    });
    assert.equal(imp.status, 500, `an import whose audit row is refused: ${imp.status} ${imp.text}`);
    assert.deepEqual(imp.body, INTERNAL);
    assert.equal(count(db, 'SELECT count(*) FROM cadre'), cadres, 'no cadre of the import');
    assert.equal(count(db, `SELECT count(*) FROM cadre WHERE name = '${name}'`), 0);

    // a login: the session is made before its audit row is refused
    const sessionsOf = "SELECT count(*) FROM session WHERE user_id = (SELECT id FROM \"user\" WHERE username = 'unit_leader1')";
    const sessions = count(db, sessionsOf);
    const li = await api('POST', '/api/v1/session', { body: { username: 'unit_leader1', password: DEMO_PASSWORD }, base });
    assert.equal(li.status, 500, `a login whose audit row is refused: ${li.status} ${li.text}`);
    assert.deepEqual(li.body, INTERNAL);
    assert.ok(!li.headers.get('set-cookie'), 'no session cookie');
    assert.equal(count(db, sessionsOf), sessions, 'no session row');

    // an Excel export: no file without its audit row
    const x = await api('GET', '/api/v1/violations?format=xlsx', { session: sec, base });
    assert.equal(x.status, 500, `an export whose audit row is refused: ${x.status}`);
    assert.deepEqual(x.body, INTERNAL);

    // the same writes on a whole path still go through: a violation with the message trigger gone
    assert.equal(sqlite(db, dropTriggerSql(db, 'planted_violation', 'notification_event')).status, 0);
    const ok = await api('POST', '/api/v1/violations', {
      session: sec, base,
      body: { cadre_id: cadre.user.cadre_id, date: '2026-06-09', kind: 'absent_without_leave', description },
    });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(count(db, 'SELECT count(*) FROM violation'), violations + 1);
  } finally {
    end = await s.stop();
  }
  assert.ok(!/Sanitizer/.test(end.out), end.out);
  assert.match(end.out, /POST \/api\/v1\/violations: violation\.create failed in the store/);
  assert.match(end.out, /cadre\.import failed in the audit row/);
  assert.match(end.out, /export\.xlsx failed in the audit row/);
});
