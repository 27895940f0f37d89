// rounds_fixture.mjs — puts a round with its units, phases and tasks (in any state) straight
// into the test database (sqlite3 / psql on DTI_DB_URL), for the accounts, inbox and summary
// tests written before the rounds and tasks parts existed. Once POST /rounds and the task
// transitions are merged, these tests may switch to the API (see tests/api/accounts.test.mjs).
import { execFileSync } from 'node:child_process';
import { DB_URL, ENGINE } from './lib.mjs';

const q = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

/** Runs SQL on the test database; returns the output rows (fields split on '|'). */
export function sql(text) {
  let out;
  if (ENGINE === 'postgres') {
    out = execFileSync('psql', [DB_URL, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', text], { encoding: 'utf8' });
  } else {
    const file = DB_URL.replace(/^sqlite:/, '');
    out = execFileSync('sqlite3', ['-cmd', '.timeout 20000', file, text], { encoding: 'utf8' });
  }
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

const DAY = 86400;
export const now = () => Math.floor(Date.now() / 1000);

/**
 * createRound({units: [{unit_id, level}], phases: [{phase, starts_at, ends_at}],
 *   tasks: [{subject_unit_id, unit_id?, criterion_key, pillar_key?, max_points (hundredths),
 *   state?, self_points?, approved_points?, self_status?, framework_id?, framework_version?}],
 *   status?, year?}) -> {roundId, tasks: [ids]}
 * Phases default to a self-assessment window open now and closing in 3 days.
 */
export function createRound({ units = [], phases, tasks = [], status = 'open', title = 'Đợt thử', year = 2025 } = {}) {
  const t = now();
  phases ??= [{ phase: 'self_assessment', starts_at: t - 10 * DAY, ends_at: t + 3 * DAY }];
  const [[id]] = sql(`INSERT INTO rounds (title, year, status, created_at) VALUES (${q(title)}, ${year}, ${q(status)}, ${t}) RETURNING id`);
  const stmts = ['BEGIN'];
  for (const u of units) stmts.push(`INSERT INTO round_units (round_id, unit_id, level) VALUES (${id}, ${u.unit_id}, ${q(u.level ?? 'department')})`);
  for (const p of phases) stmts.push(`INSERT INTO round_phases (round_id, phase, starts_at, ends_at) VALUES (${id}, ${q(p.phase)}, ${p.starts_at}, ${p.ends_at})`);
  tasks.forEach((k, i) => {
    stmts.push('INSERT INTO tasks (round_id, subject_unit_id, unit_id, framework_id, framework_version, criterion_key, ' +
      'pillar_key, seq, max_points, state, self_points, approved_points, self_status) VALUES (' +
      [id, k.subject_unit_id, k.unit_id ?? k.subject_unit_id, q(k.framework_id ?? 'test'), k.framework_version ?? 1, q(k.criterion_key ?? `c${i + 1}`), q(k.pillar_key ?? 'p1'),
        i + 1, k.max_points ?? 1000, q(k.state ?? 'not_started'), k.self_points ?? 'NULL', k.approved_points ?? 'NULL',
        q(k.self_status ?? null)].join(', ') + ')');
  });
  stmts.push('COMMIT');
  sql(stmts.join(';\n') + ';');
  const ids = sql(`SELECT id FROM tasks WHERE round_id = ${id} ORDER BY seq`).map((r) => Number(r[0]));
  return { roundId: Number(id), tasks: ids };
}

/** An appraiser_assignments row. */
export function assignAppraiser(roundId, { level = 'department', pillar_key = null, criterion_key = null, unit_id = null, user_id = null }) {
  sql(`INSERT INTO appraiser_assignments (round_id, level, pillar_key, criterion_key, appraiser_unit_id, appraiser_user_id, created_at) ` +
    `VALUES (${roundId}, ${q(level)}, ${q(pillar_key)}, ${q(criterion_key)}, ${unit_id ?? 'NULL'}, ${user_id ?? 'NULL'}, ${now()})`);
}

export { DAY };
