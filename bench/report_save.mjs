// bench/report_save.mjs — CLIENTS concurrent staff sessions saving reports (PUT
// /tasks/{id}/report: inputs -> engine score -> audit entry, one transaction each) for DUR
// seconds against DTI_URL; prints saves/s, p50, p99. Each client saves its own task (no version
// conflicts), so every request is a full save. Called by bench/report_save.sh.
import { loginAdmin, createUnit, createUser, loginAs, expectStatus, uniq } from '../tests/api/lib.mjs';
import { phasesAt, vnDate } from '../tests/api/tasks_fixture.mjs';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const DUR = Number(process.env.BENCH_DURATION ?? 10);
const base = process.env.DTI_URL;

// A value of each input that the engine accepts (varied by i so the score changes).
function value(inp, i, year) {
  switch (inp.type) {
    case 'bool': return i % 2 === 0;
    case 'count': return (i % 4) + 1;
    case 'number': return (i % 4) + 1;
    case 'ratio': return 0.5;
    case 'points': return 0;
    case 'choice': return inp.options[i % inp.options.length].value;
    case 'date': return `${year}-01-${String((i % 27) + 1).padStart(2, '0')}`;
    default: return null;
  }
}

const admin = await loginAdmin({ base, passwordFile: process.env.DTI_ADMIN_PASSWORD_FILE });
const year = Number(vnDate().slice(0, 4));
const units = [await createUnit(admin, { name: 'Sở đo tải ' + uniq('') })];
const round = expectStatus(await admin.post('/rounds', {
  title: 'Đo tải lưu báo cáo ' + uniq(''), year,
  frameworks: [{ level: 'department', framework_id: 'hue-cap-so-2023', version: 3 }],
  units: { levels: [], include: units.map((u) => u.id) }, phases: phasesAt('self_assessment'),
}), 201);
const { user, password: otp } = await createUser(admin, { role: 'staff', unit_id: units[0].id });
const { client: staff } = await loginAs(user.username, otp, base);
const tasks = expectStatus(await staff.get(`/tasks?round_id=${round.id}&limit=1000`), 200).tasks;

// Pick tasks whose generated inputs save cleanly; one per client.
const jobs = [];
for (const t of tasks) {
  if (jobs.length === CLIENTS) break;
  const d = expectStatus(await staff.get('/tasks/' + t.id), 200);
  const body = (i) => ({ inputs: Object.fromEntries(d.criterion.inputs.map((inp) => [inp.name, value(inp, i, year)])),
    content: `Báo cáo lần ${i}`, note: null });
  const r = await staff.put(`/tasks/${t.id}/report`, { ...body(0), version: d.version });
  if (r.status === 200) jobs.push({ id: t.id, version: r.json.version, body });
}
if (jobs.length < CLIENTS) throw new Error(`only ${jobs.length} tasks save cleanly`);

// BENCH_WRK_SETUP=file: write what wrk needs (session, one task per connection with a body
// template) and stop; bench/report_save.sh then drives the load with wrk (a C client: the Node
// one costs more CPU per request than the server does, on a 2-core machine that skews it).
if (process.env.BENCH_WRK_SETUP) {
  const fs = await import('node:fs');
  fs.writeFileSync(process.env.BENCH_WRK_SETUP, JSON.stringify({
    cookie: [staff.cookie, staff.device].filter(Boolean).join('; '), csrf: staff.csrf,
    tasks: jobs.map((j) => ({ id: j.id, version: j.version, bodies: [1, 2, 3, 4].map((i) => j.body(i)) })),
  }));
  process.exit(0);
}

const lat = [];
let errors = 0;
const cpu0 = process.cpuUsage();
const end = Date.now() + DUR * 1000;
await Promise.all(jobs.map(async (j) => {
  for (let i = 1; Date.now() < end; i++) {
    const t0 = process.hrtime.bigint();
    const r = await staff.put(`/tasks/${j.id}/report`, { ...j.body(i), version: j.version });
    lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status === 200) j.version = r.json.version;
    else errors++;
  }
}));
lat.sort((a, b) => a - b);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ saves: lat.length - errors, errors, seconds: DUR, per_second: Math.round((lat.length - errors) / DUR),
  p50_ms: +q(0.5).toFixed(1), p99_ms: +q(0.99).toFixed(1), client_cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(2) }));
