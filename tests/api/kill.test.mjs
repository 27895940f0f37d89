// kill.test.mjs — "nothing lost" (DESIGN §7): a second server on its own port and database is
// SIGKILLed while 4 clients stream writes (POST /units). After a restart every write the
// server acknowledged (2xx) must be there, unchanged; the database must pass its integrity
// check and `dti audit verify` must accept the audit chain. Done twice (the second kill hits
// a server that recovered from the first).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import { DTI_BIN, ENGINE, expectStatus, loginAdmin, loginAs, createUnit, createUser, rootUnit, uniq, waitHealthy } from './lib.mjs';
import { phasesAt, vnDate } from './tasks_fixture.mjs';

const PORT = process.env.DTI_KILL_PORT;
const DB_URL = process.env.DTI_KILL_DB_URL;
const WORK = process.env.DTI_TEST_WORK;
const BASE = `http://127.0.0.1:${PORT}`;
const WRITERS = 4;
const ROUNDS = 2;

const skip = !PORT || !DB_URL || !WORK ? 'needs DTI_KILL_PORT, DTI_KILL_DB_URL, DTI_TEST_WORK (tests/api/run.sh)' : false;

let server = null;
let logFd = null;

function startServer() {
  logFd ??= fs.openSync(path.join(WORK, 'kill-server.log'), 'a');
  server = spawn(DTI_BIN, ['serve', '--db', DB_URL, '--listen', `127.0.0.1:${PORT}`], {
    stdio: ['ignore', logFd, logFd],
  });
  // run.sh kills it from this file should this process die before after() runs.
  fs.writeFileSync(path.join(WORK, 'kill-server.pid'), String(server.pid));
  server.exited = new Promise((resolve) => server.once('exit', (code, sig) => resolve({ code, sig })));
  return server;
}

async function stopServer(signal) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  server.kill(signal);
  const t = setTimeout(() => server.kill('SIGKILL'), 10000);
  await server.exited;
  clearTimeout(t);
}

after(async () => {
  await stopServer('SIGKILL');
  if (logFd !== null) fs.closeSync(logFd);
});

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** One client writing units until the server goes away; acked writes go into `acked`. */
async function writer(admin, w, round, acked, state) {
  const parent_id = (await rootUnit(admin)).id;
  for (let i = 0; !state.dead; i++) {
    const unit = { code: `K${round}w${w}n${i}`, name: `Đơn vị ghi thử ${round}-${w}-${i} — “kill”`, kind: 'commune', parent_id };
    let res;
    try {
      res = await admin.post('/units', unit);
    } catch {
      return; // connection refused or reset: the server is dead
    }
    if (res.status >= 200 && res.status < 300) {
      assert.ok(res.json && res.json.id, `2xx without an id: ${res.text}`);
      acked.push({ ...unit, id: res.json.id });
    } else if (res.status >= 500) {
      return; // a dying server may answer 5xx; such a write was not acknowledged
    } else {
      assert.fail(`unexpected HTTP ${res.status} while streaming: ${res.text}`);
    }
  }
}

function auditVerify() {
  const r = spawnSync(DTI_BIN, ['audit', 'verify', '--db', DB_URL], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('acknowledged writes survive SIGKILL of the server', { skip, timeout: 180000 }, async (t) => {
  const pwFile = path.join(WORK, 'kill-admin-password');
  execFileSync(DTI_BIN, ['init', '--db', DB_URL, '--admin-password-file', pwFile], { stdio: 'pipe' });

  const acked = [];
  for (let round = 1; round <= ROUNDS; round++) {
    startServer();
    await waitHealthy(BASE, 20000);
    const admin = await loginAdmin({ base: BASE, passwordFile: pwFile });

    const state = { dead: false };
    const before = acked.length;
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(admin, w, round, acked, state));
    // Kill mid-stream: after a few dozen acknowledged writes, at a slightly random moment.
    const deadline = Date.now() + 20000;
    while (acked.length - before < 30 && Date.now() < deadline) await sleep(5);
    await sleep(Math.floor(Math.random() * 40));
    server.kill('SIGKILL');
    const { sig } = await server.exited;
    state.dead = true;
    assert.equal(sig, 'SIGKILL');
    await Promise.all(writers);
    assert.ok(acked.length - before >= 30, `round ${round}: only ${acked.length - before} writes acknowledged before the kill`);
    t.diagnostic(`round ${round}: ${acked.length - before} writes acknowledged, then SIGKILL`);
  }

  // Restart and look for every acknowledged write.
  startServer();
  await waitHealthy(BASE, 20000);
  const admin = await loginAdmin({ base: BASE, passwordFile: pwFile });
  const units = expectStatus(await admin.get('/units'), 200, 'list units').units;
  const byCode = new Map(units.map((u) => [u.code, u]));
  const missing = acked.filter((a) => !byCode.has(a.code));
  assert.deepEqual(missing.map((m) => m.code), [], `${missing.length} of ${acked.length} acknowledged writes lost`);
  for (const a of acked) {
    const u = byCode.get(a.code);
    assert.equal(String(u.id), String(a.id), `unit ${a.code} changed id`);
    assert.equal(u.name, a.name, `unit ${a.code} changed name`);
    assert.equal(u.kind, a.kind);
  }
  // The server still writes after recovery.
  expectStatus(await admin.post('/units', { code: 'KafterRestart', name: 'Sau khởi động lại', kind: 'other', parent_id: (await rootUnit(admin)).id }), 201);
  await stopServer('SIGTERM');

  if (ENGINE === 'sqlite') {
    const file = DB_URL.replace(/^sqlite:/, '');
    const ic = execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    assert.equal(ic, 'ok', `integrity_check: ${ic}`);
  }
  const v = auditVerify();
  assert.equal(v.status, 0, `dti audit verify failed: ${v.out}`);
  const m = /(\d+) bản ghi/.exec(v.out);
  assert.ok(m, `unexpected audit verify output: ${v.out}`);
  t.diagnostic(`all ${acked.length} acknowledged writes present; audit chain valid with ${m[1]} entries`);
  // Each acknowledged unit creation committed its audit entry in the same transaction.
  assert.ok(Number(m[1]) >= acked.length, `audit chain has ${m[1]} entries for ${acked.length} acknowledged writes`);
});

// part: tasks — the same for report saves (inputs -> engine score -> audit entry): 4 staff
// members each stream saves of their own task; after two SIGKILLs and a restart every task holds
// its last acknowledged save (or the one in flight at the kill, one version later), and the
// audit chain verifies with an entry per acknowledged save.
async function saver(client, taskId, w, round, log, state) {
  let version = expectStatus(await client.get('/tasks/' + taskId), 200).version;
  for (let i = 0; !state.dead; i++) {
    const body = { inputs: { meetings: (i % 4) + 1 }, content: `Lần lưu ${round}-${w}-${i}`, version };
    log.inflight = { content: body.content, version: version + 1 };
    let res;
    try {
      res = await client.put(`/tasks/${taskId}/report`, body);
    } catch {
      return;
    }
    if (res.status === 200) {
      version = res.json.version;
      log.acked.push({ content: body.content, version, points: res.json.report.self_points });
    } else if (res.status >= 500) {
      return;
    } else {
      assert.fail(`unexpected HTTP ${res.status} while saving: ${res.text}`);
    }
  }
}

test('acknowledged report saves survive SIGKILL of the server', { skip, timeout: 180000 }, async (t) => {
  const pwFile = path.join(WORK, 'kill-admin-password');
  if (!fs.existsSync(pwFile)) execFileSync(DTI_BIN, ['init', '--db', DB_URL, '--admin-password-file', pwFile], { stdio: 'pipe' });
  startServer();
  await waitHealthy(BASE, 20000);
  let admin = await loginAdmin({ base: BASE, passwordFile: pwFile });
  // one task per writer: criterion i-2-1 (meetings -> points) of four fresh departments
  const units = await Promise.all([0, 1, 2, 3].map(() => createUnit(admin, { name: 'Sở lưu thử ' + uniq('') })));
  const round = expectStatus(await admin.post('/rounds', {
    title: 'Đợt thử mất điện 2 ' + uniq(''), year: Number(vnDate().slice(0, 4)),
    frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
    units: { levels: [], include: units.map((u) => u.id) }, phases: phasesAt('self_assessment'),
  }), 201);
  const all = expectStatus(await admin.get(`/tasks?round_id=${round.id}&limit=1000`), 200).tasks;
  const writers = [];
  for (const u of units) {
    const { user, password: otp } = await createUser(admin, { role: 'staff', unit_id: u.id });
    const { client, password } = await loginAs(user.username, otp, BASE);
    writers.push({ user, password, client, taskId: all.find((x) => x.unit_id === u.id && x.criterion_key === 'i-2-1').id,
      log: { acked: [], inflight: null } });
  }
  let total = 0;
  for (let k = 1; k <= ROUNDS; k++) {
    if (k > 1) {
      startServer();
      await waitHealthy(BASE, 20000);
      for (const w of writers) w.client = (await loginAs(w.user.username, w.password, BASE)).client;
    }
    const state = { dead: false };
    const before = writers.reduce((n, w) => n + w.log.acked.length, 0);
    const running = writers.map((w, i) => saver(w.client, w.taskId, i, k, w.log, state));
    const deadline = Date.now() + 20000;
    const acked = () => writers.reduce((n, w) => n + w.log.acked.length, 0) - before;
    while (acked() < 40 && Date.now() < deadline) await sleep(5);
    await sleep(Math.floor(Math.random() * 40));
    server.kill('SIGKILL');
    const { sig } = await server.exited;
    state.dead = true;
    assert.equal(sig, 'SIGKILL');
    await Promise.all(running);
    assert.ok(acked() >= 40, `round ${k}: only ${acked()} saves acknowledged before the kill`);
    total += acked();
    t.diagnostic(`round ${k}: ${acked()} saves acknowledged, then SIGKILL`);
  }
  startServer();
  await waitHealthy(BASE, 20000);
  admin = await loginAdmin({ base: BASE, passwordFile: pwFile });
  for (const w of writers) {
    const last = w.log.acked.at(-1);
    const task = expectStatus(await admin.get('/tasks/' + w.taskId), 200);
    if (task.version === last.version) {
      assert.equal(task.report.content, last.content, 'the last acknowledged save is there');
      assert.equal(task.report.self_points, last.points);
    } else {
      // the save in flight at the kill committed without its answer reaching the client
      assert.equal(task.version, last.version + 1, `task ${w.taskId}: version ${task.version}, last acked ${last.version}`);
      assert.equal(task.report.content, w.log.inflight.content);
    }
    const saves = [];
    for (let before = 0; ;) {
      const page = expectStatus(await admin.get(`/audit?entity=task&entity_id=${w.taskId}&limit=200` + (before ? `&before_id=${before}` : '')), 200);
      saves.push(...page.entries.filter((e) => e.action === 'task.save'));
      if (!page.next_before_id) break;
      before = page.next_before_id;
    }
    assert.ok(saves.length >= w.log.acked.length, `task ${w.taskId}: ${saves.length} audit entries for ${w.log.acked.length} acknowledged saves`);
  }
  await stopServer('SIGTERM');
  if (ENGINE === 'sqlite') {
    const ic = execFileSync('sqlite3', [DB_URL.replace(/^sqlite:/, ''), 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    assert.equal(ic, 'ok', `integrity_check: ${ic}`);
  }
  const v = auditVerify();
  assert.equal(v.status, 0, `dti audit verify failed: ${v.out}`);
  t.diagnostic(`all ${total} acknowledged saves present; audit chain valid`);
});
