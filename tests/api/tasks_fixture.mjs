// tasks_fixture.mjs — shared set-up of the task tests (tasks.test.mjs, workflow.test.mjs): a
// round of fresh departments, phases moved by PATCHing the round's phase dates, and the few rows
// other parts of issue 8 own (appraiser assignments, evidence, finalising) — through their route
// when the server publishes it, else written straight into the test database.
import { execFileSync } from 'node:child_process';
import { loginAdmin, createUnit, newUserClient, uniq, expectStatus, Client, DB_URL, ENGINE } from './lib.mjs';

export const PHASES = ['trial', 'self_assessment', 'appraisal1', 'explanation', 'appraisal2', 'finalised'];
const DEPT = { level: 'department', framework_id: 'hue-cap-so-2023', version: 3 };

// Today's date in Asia/Ho_Chi_Minh shifted by `days`, as YYYY-MM-DD.
export function vnDate(days = 0) {
  const t = new Date(Date.now() + 7 * 3600e3 + days * 86400e3);
  return t.toISOString().slice(0, 10);
}

// Windows of 3 days each in the table's order, with `current` containing today.
export function phasesAt(current) {
  const i = PHASES.indexOf(current);
  if (i < 0) throw new Error('unknown phase ' + current);
  return PHASES.map((phase, j) => ({ phase, starts: vnDate(3 * (j - i) - 1), ends: vnDate(3 * (j - i) + 1) }));
}

export async function setPhase(admin, roundId, phase) {
  const r = expectStatus(await admin.patch('/rounds/' + roundId, { phases: phasesAt(phase) }), 200, 'move phase');
  if (r.current_phase !== phase) throw new Error(`phase is ${r.current_phase}, wanted ${phase}`);
  return r;
}

let routes = null;
async function published(method, path) {
  if (!routes) routes = expectStatus(await new Client().get('/openapi.json'), 200).paths;
  return !!routes[path]?.[method.toLowerCase()];
}

// One SQL statement on the test database (sqlite3 / psql command-line clients).
export function sql(statement) {
  if (ENGINE === 'postgres' || DB_URL.startsWith('postgres')) {
    return execFileSync('psql', [DB_URL, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement], { encoding: 'utf8' }).trim();
  }
  // The sqlite3 shell may give up on a busy database without failing (exit 0, nothing
  // written) while the server writes without pause: check that the row changed, else retry.
  const file = DB_URL.replace(/^sqlite:/, '');
  for (let i = 0; i < 20; i++) {
    let out = '';
    try {
      out = execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 20000', file, `${statement}; SELECT 'changed=' || changes();`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch { /* busy: try again */ }
    if (/changed=[1-9]/.test(out)) return out;
    execFileSync('sleep', ['0.2']);
  }
  throw new Error('sqlite3 could not write: ' + statement);
}

const lit = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

export async function assignAppraiser(admin, roundId, fields) {
  if (await published('POST', '/api/v1/rounds/{id}/appraisers'))
    return expectStatus(await admin.post(`/rounds/${roundId}/appraisers`, fields), 201, 'assign appraiser');
  sql(`INSERT INTO appraiser_assignments (round_id, level, pillar_key, criterion_key, appraiser_unit_id, appraiser_user_id, created_at)
       VALUES (${roundId}, ${lit(fields.level)}, ${lit(fields.pillar_key)}, ${lit(fields.criterion_key)},
       ${lit(fields.appraiser_unit_id)}, ${lit(fields.appraiser_user_id)}, 0)`);
  return null;
}

// Evidence rows can be made: by the evidence part's upload once published, else written
// straight into PostgreSQL. Never by a second process into the live SQLite file: under the full
// suite's load that left the server's connections not seeing the rows (the rounds part found
// the same), so on SQLite the tests that need evidence wait for the upload route.
export async function evidenceAvailable() {
  return (await published('POST', '/api/v1/tasks/{id}/evidence')) || ENGINE === 'postgres' || DB_URL.startsWith('postgres');
}

// A current evidence file on the task (the evidence part's upload when published).
export async function addEvidence(client, taskId) {
  if (await published('POST', '/api/v1/tasks/{id}/evidence')) {
    const fd = new FormData();
    fd.append('file', new Blob(['%PDF-1.4 minh chung ' + uniq('')], { type: 'application/pdf' }), 'minh-chung.pdf');
    const res = await fetch(client.base + '/api/v1/tasks/' + taskId + '/evidence', {
      method: 'POST', body: fd, headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
    });
    if (res.status !== 201) throw new Error('upload: ' + res.status + ' ' + await res.text());
    return;
  }
  if (!(await evidenceAvailable())) throw new Error('no way to add evidence on SQLite yet');
  const sha = (uniq('s') + '0'.repeat(64)).slice(0, 64);
  sql(`INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('${sha}', 10, 'application/pdf', 0)`);
  sql(`INSERT INTO evidence (task_id, sha256, file_name, mime, size, uploaded_at) VALUES (${taskId}, '${sha}', 'minh-chung.pdf', 'application/pdf', 10, 0)`);
}

export async function finaliseRound(admin, roundId) {
  if (await published('POST', '/api/v1/rounds/{id}/finalise'))
    return expectStatus(await admin.post(`/rounds/${roundId}/finalise`, {}), 200, 'finalise');
  sql(`UPDATE rounds SET status = 'finalised' WHERE id = ${roundId}`);
  return null;
}

// A round of two fresh departments (A and B) with a staff and a leader each, an appraiser of
// a third unit, in phase `phase`.
export async function roundFixture(phase = 'self_assessment') {
  const admin = await loginAdmin();
  const A = await createUnit(admin, { name: 'Sở thử A ' + uniq('') });
  const B = await createUnit(admin, { name: 'Sở thử B ' + uniq('') });
  const C = await createUnit(admin, { name: 'Đơn vị thẩm định ' + uniq('') });
  const round = expectStatus(await admin.post('/rounds', {
    title: 'Đợt thử nhiệm vụ ' + uniq(''), year: Number(vnDate().slice(0, 4)), frameworks: [DEPT],
    units: { levels: [], include: [A.id, B.id] }, phases: phasesAt(phase),
  }), 201, 'create round');
  const staffA = await newUserClient(admin, { role: 'staff', unit_id: A.id });
  const leaderA = await newUserClient(admin, { role: 'leader', unit_id: A.id });
  const staffB = await newUserClient(admin, { role: 'staff', unit_id: B.id });
  const appraiser = await newUserClient(admin, { role: 'appraiser', unit_id: C.id });
  const tasksOf = async (unit) => expectStatus(await admin.get(`/tasks?round_id=${round.id}&unit_id=${unit.id}&limit=1000`), 200).tasks;
  const taskOf = async (unit, key) => (await tasksOf(unit)).find((t) => t.criterion_key === key);
  return { admin, A, B, C, round, staffA, leaderA, staffB, appraiser, tasksOf, taskOf };
}
