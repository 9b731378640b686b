// Helpers of the monitoring-case tests (5.7): a household imported into 沙洲坝村 through the
// registry's own import (so it has members, ID numbers, a phone and health details), and a case
// walked through the statutory steps on chosen dates.
import assert from 'node:assert/strict';
import { api, as, idNumber, list, todayCST, addDays } from './lib.mjs';
import { randomHex, randomInt } from '../clock.mjs';

export const VILLAGE = '360781104200'; // 沙洲坝村, cadre1's village
let seq = 0;

/** Imports one household (a head + a spouse) and returns its registry row. */
export async function importHousehold({ able = '是', health = '高血压，长期服药', phone = '13912345678', income = 6800,
  water = '是', category = '脱贫户' } = {}) {
  const sec = await as('shazhouba_sec');
  seq += 1;
  const no = `T${randomHex(3)}${process.pid % 100}${seq}`;
  const year = Number(todayCST().slice(0, 4));
  const base = randomInt(1000);
  const id1 = idNumber('360781', '1970-03-12', (base + seq * 7) % 1000);
  const id2 = idNumber('360781', '1972-05-02', (base + seq * 7 + 3) % 1000);
  const head = '户编号,户主姓名,户类型,是否纳入监测,成员姓名,身份证号,与户主关系,是否劳动力,健康状况,人均纯收入,收入年度,联系电话,住址,不愁吃穿,义务教育保障,基本医疗保障,住房安全保障,饮水安全保障';
  const rows = [
    [no, '测试户主', category, '否', '测试户主', id1, '户主', able, health, income, year, phone, '上坪组 1 号', '是', '是', '是', '是', water],
    [no, '测试户主', category, '否', '测试配偶', id2, '配偶', able, '健康', income, year, phone, '上坪组 1 号', '是', '是', '是', '是', water],
  ];
  const csv = [head, ...rows.map((r) => r.join(','))].join('\n') + '\n';
  const r = await api('POST', `/api/v1/households/import?village=${VILLAGE}`, {
    session: sec, raw: csv, headers: { 'content-type': 'text/csv' },
  });
  assert.equal(r.status, 200, `import: ${r.text}`);
  const found = await list(sec, `/api/v1/households?village=${VILLAGE}&q=${no}`);
  assert.equal(found.items.length, 1, `household ${no} after import`);
  return { ...found.items[0], id_numbers: [id1, id2], phone };
}

/** POST /cases/ID/steps with the case's current version. */
export async function step(session, id, body) {
  const cur = await api('GET', `/api/v1/cases/${id}`, { session });
  assert.equal(cur.status, 200, cur.text);
  return api('POST', `/api/v1/cases/${id}/steps`, { session, body: { version: cur.body.version, ...body } });
}

/** A case raised `lead` days ago and walked to the county decision (monitored), each step a day
 * or more after the previous one; returns the case. */
export async function monitoredCase(householdId, { lead = 250, category = 'marginal' } = {}) {
  const cadre = await as('cadre1');
  const sec = await as('shazhouba_sec');
  const rrb = await as('ruijin_rrb'); // 5.7: the county RRB decides
  const today = todayCST();
  const c = await api('POST', '/api/v1/cases', { session: cadre, body: {
    household_id: householdId, source: 'self_reported', risks: ['illness'], lead_on: addDays(today, -lead),
    description: '家中老人住院，医疗支出增加' } });
  assert.equal(c.status, 201, c.text);
  const id = c.body.id;
  const steps = [
    [cadre, { action: 'review', on_date: addDays(today, -lead + 1), result: 'agree', participants: '村两委、党员代表、村民代表 11 人' }],
    [cadre, { action: 'notice', on_date: addDays(today, -lead + 2), days: 5 }],
    [sec, { action: 'check', on_date: addDays(today, -lead + 8), result: 'agree' }],
    [rrb, { action: 'decide', on_date: addDays(today, -lead + 9), result: 'agree', category }],
  ];
  for (const [who, body] of steps) {
    const r = await step(who, id, body);
    assert.equal(r.status, 200, `${body.action}: ${r.text}`);
  }
  const got = await api('GET', `/api/v1/cases/${id}`, { session: cadre });
  return got.body;
}

/** 风险消除's procedure up to the county's confirmation (5.7, the national mechanism): 入户核实 by
 * the team, 民主评议 by the village, 公示 for `days`; `start` days ago, a day apart. Returns the case. */
export async function closingCase(id, { start = 8, days = 5 } = {}) {
  const cadre = await as('cadre1');
  const today = todayCST();
  const steps = [
    { action: 'close_verify', on_date: addDays(today, -start), verifiers: '第一书记、村监督委员会主任',
      note: '入户核实：务工收入稳定，两不愁三保障和饮水安全均有保障' },
    { action: 'close_review', on_date: addDays(today, -start + 1), result: 'agree', participants: '村两委、党员代表、村民代表 12 人' },
    { action: 'close_notice', on_date: addDays(today, -start + 2), days },
  ];
  for (const body of steps) {
    const r = await step(cadre, id, body);
    assert.equal(r.status, 200, `${body.action}: ${r.text}`);
  }
  const got = await api('GET', `/api/v1/cases/${id}`, { session: cadre });
  assert.equal(got.body.state, 'close_noticed');
  return got.body;
}
