// F10 of the security review (2026-12): serve spoke plain HTTP only and the cookie was Secure only with
// a flag. Now `serve --tls-cert/--tls-key` serves HTTPS (libmicrohttpd with GnuTLS), and the session
// cookie is then always Secure. The certificate is a throw-away one made by openssl for the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, DEMO_PASSWORD, copyDb, run, tempDir, zhucun } from './lib.mjs';

function serveTls(db, cert, key) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, ['serve', '--db', db, '--port', '0', '--quiet', '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const grab = (d) => {
      out += d;
      const m = /(https?):\/\/[\d.]+:(\d+)\//.exec(out);
      if (m) resolve({ scheme: m[1], port: Number(m[2]), stop: () => new Promise((r) => { p.on('close', r); p.kill('SIGTERM'); }) });
    };
    p.stdout.on('data', grab);
    p.stderr.on('data', (d) => { out += d; });
    p.on('close', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function request(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : undefined;
    const req = https.request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false,
      headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

test('serve --tls-cert/--tls-key: HTTPS, plain HTTP refused, the session cookie Secure', async () => {
  const dir = tempDir();
  const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
  const made = run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1']);
  assert.equal(made.status, 0, made.stderr);
  const s = await serveTls(copyDb(), cert, key);
  try {
    assert.equal(s.scheme, 'https', 'it says it serves https');
    const h = await request(s.port, 'GET', '/api/v1/health');
    assert.equal(h.status, 200, h.text);
    assert.equal(h.headers['strict-transport-security'], 'max-age=31536000', 'HSTS on every answer over TLS');
    const login = await request(s.port, 'POST', '/api/v1/session', { username: 'cadre1', password: DEMO_PASSWORD });
    assert.equal(login.status, 200, login.text);
    const cookie = (login.headers['set-cookie'] || []).find((c) => c.startsWith('zc_session='));
    assert.match(cookie, /; Secure/, cookie);
    // plain HTTP on the same port gets no answer
    const plain = await fetch(`http://127.0.0.1:${s.port}/api/v1/health`).then((r) => r.status, () => 0);
    assert.notEqual(plain, 200);
  } finally {
    await s.stop();
  }
});

test('--tls-cert without --tls-key is refused', () => {
  const r = zhucun(['serve', '--db', join(tempDir(), 'x.db'), '--port', '0', '--tls-cert', '/nonexistent.pem'], { timeout: 15000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--tls-cert and --tls-key go together/);
});
