// F1 of the security review (2026-12): 2,100 slow connections from one address left /api/v1/health
// unreachable for 52 s. Now one address holds at most per_address_connections (policy/security.json)
// and a connection that goes quiet is cut after connection_timeout_seconds, so a second client is
// served while the slow ones trickle their headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { URL_BASE } from './lib.mjs';

const SECURITY = JSON.parse(readFileSync(new URL('../../policy/security.json', import.meta.url)));
const { hostname, port } = new URL(URL_BASE);
const SLOW_FROM = '127.0.0.66'; // the attacker's address: loopback has all of 127/8

function openSlow(n) {
  const socks = [];
  return new Promise((resolve) => {
    let settled = 0;
    const done = () => { if (++settled === n) resolve(socks); };
    for (let i = 0; i < n; i++) {
      const s = net.connect({ host: hostname, port: Number(port), localAddress: SLOW_FROM });
      s.closedByServer = false;
      s.on('error', () => { s.closedByServer = true; });
      s.on('close', () => { s.closedByServer = true; });
      s.on('connect', () => { s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n'); done(); });
      s.once('error', done);
      socks.push(s);
    }
  });
}

async function health(ms) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), ms);
  const t0 = performance.now();
  try {
    const r = await fetch(`${URL_BASE}/api/v1/health`, { signal: ctrl.signal });
    return { status: r.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('2,100 slow connections from one address: another client is still served, the address keeps at most its cap', async () => {
  const socks = await openSlow(2100);
  try {
    await sleep(500);
    const probes = [];
    for (let round = 0; round < 3; round++) {
      probes.push(await health(5000));
      // one more header line on every connection still open, as a slowloris does
      for (const s of socks) if (!s.closedByServer) s.write('X-a: b\r\n');
      await sleep(1500);
    }
    for (const p of probes) assert.equal(p.status, 200, `health under 2,100 slow connections: ${JSON.stringify(probes)}`);
    const open = socks.filter((s) => !s.closedByServer).length;
    assert.ok(open <= SECURITY.per_address_connections,
      `the slow address holds ${open} connections, its cap is ${SECURITY.per_address_connections}`);
    console.log(`# slowloris: ${socks.length} slow connections, ${open} kept open; health ${probes.map((p) => `${p.status} in ${p.ms.toFixed(0)} ms`).join(', ')}`);
  } finally {
    for (const s of socks) s.destroy();
  }
});

test('a connection that sends nothing more is closed after connection_timeout_seconds', async () => {
  const [s] = await openSlow(1);
  const t0 = performance.now();
  await new Promise((resolve) => {
    if (s.closedByServer) resolve();
    s.on('close', resolve);
    setTimeout(resolve, (SECURITY.connection_timeout_seconds + 10) * 1000);
  });
  const waited = (performance.now() - t0) / 1000;
  s.destroy();
  assert.ok(waited <= SECURITY.connection_timeout_seconds + 5,
    `an idle half-sent request was kept ${waited.toFixed(1)} s (timeout ${SECURITY.connection_timeout_seconds} s)`);
});
