// Reports from a hot standby (issue 16): `serve --read-db URL` reads the reports (看板 /board, 数据大屏 /screen,
// 分析 /analysis, 考核评分 /scores: http/router's ROUTE_STALE_OK) from a PostgreSQL standby, as of its replay,
// and everything else from the primary. On PostgreSQL the test builds the production layout on this machine —
// a primary holding a copy of the suite's database and a synchronous streaming standby (tests/pg_cluster.sh) —
// stops the standby's replay, renames a cadre on the primary, and finds the old name on the board and the new
// one in the cadre's record; once the replay goes on, the board has it too. On SQLite the option is refused:
// a file has no standby.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { api, login, run, zhucun, serveAt, tempDir, DB, ON_PG } from './lib.mjs';
import { today } from '../clock.mjs';

const NOW_ISO = process.env.ZHUCUN_NOW;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

function psql(url, sql) {
  const r = run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql]);
  assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

async function boardName(session, base, cadreId) {
  const b = await api('GET', `/api/v1/board?date=${today()}`, { session, base });
  assert.equal(b.status, 200, b.text);
  return b.body.items.find((x) => x.cadre_id === cadreId)?.name;
}

if (!ON_PG) {
  test('--read-db is refused on a SQLite database: a file has no standby', () => {
    const r = zhucun(['serve', '--db', DB, '--read-db', 'postgresql://127.0.0.1:1/zhucun', '--port', '0']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--read-db/);
    assert.match(r.stderr, /热备库/);
  });
} else {
  test('the reports read the standby, as of its replay; the records read the primary', async () => {
    const dir = tempDir('zhucun-standby-');
    chmodSync(dir, 0o711);  // the clusters run as the postgres account when the tests run as root
    const [pport, sport] = [await freePort(), await freePort()];
    let r = run('bash', ['tests/pg_cluster.sh', 'start', `${dir}/p`, String(pport)]);
    assert.equal(r.status, 0, r.stderr);
    const primary = r.stdout.trim();
    let server;
    try {
      r = run('bash', ['-o', 'pipefail', '-c', 'pg_dump --no-owner "$0" | psql -X -q -v ON_ERROR_STOP=1 "$1" > /dev/null', DB, primary]);
      assert.equal(r.status, 0, `copy the suite's database to the primary: ${r.stderr}`);
      r = run('bash', ['tests/pg_cluster.sh', 'standby', `${dir}/s`, String(sport), String(pport)]);
      assert.equal(r.status, 0, r.stderr);
      const standby = r.stdout.trim();
      server = await serveAt(primary, NOW_ISO, ['--read-db', standby]);
      const town = await login('shazhouba_sec', undefined, server.url);
      const first = await api('GET', `/api/v1/board?date=${today()}`, { session: town, base: server.url });
      assert.equal(first.status, 200, first.text);
      assert.ok(first.body.items.length > 0, 'the township has cadres on its board');
      const cadreId = first.body.items[0].cadre_id;
      const oldName = first.body.items[0].name;

      psql(standby, 'SELECT pg_wal_replay_pause()');
      psql(primary, `UPDATE cadre SET name = '备库测试' WHERE id = ${cadreId}`);
      // the record reads the primary: the new name at once
      const rec = await api('GET', `/api/v1/cadres/${cadreId}`, { session: town, base: server.url });
      assert.equal(rec.status, 200, rec.text);
      assert.equal(rec.body.name, '备库测试');
      // the board reads the standby, whose replay is stopped: the old name
      assert.equal(await boardName(town, server.url, cadreId), oldName);

      psql(standby, 'SELECT pg_wal_replay_resume()');
      let name;
      for (let i = 0; i < 100 && name !== '备库测试'; i++) {
        name = await boardName(town, server.url, cadreId);
        if (name !== '备库测试') await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(name, '备库测试', 'the board has the new name once the standby replays it');
    } finally {
      if (server) await server.stop();
      run('bash', ['tests/pg_cluster.sh', 'stop', `${dir}/s`]);
      run('bash', ['tests/pg_cluster.sh', 'stop', `${dir}/p`]);
    }
  });
}
