// audit_verify_concurrent.test.mjs — GET /audit/verify reads the chain's head and its rows in one
// snapshot: while 16 clients write (each write appends audit entries), every verification run
// must say the chain is valid. Before the fix an entry landing between the read of the head and
// the read of the rows was reported as tampering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loginAdmin, createUnit, expectStatus } from './lib.mjs';

const WRITERS = 16;
const WRITES_EACH = 20;
const CHECKERS = 4;

test('GET /audit/verify stays valid while 16 clients write', async () => {
  const clients = [];
  for (let i = 0; i < WRITERS; i++) clients.push(await loginAdmin());
  const checker = await loginAdmin();
  let writing = true;
  const runs = [];
  const verifyLoops = Array.from({ length: CHECKERS }, async () => {
    while (writing) {
      const j = expectStatus(await checker.get('/audit/verify'), 200, 'verify');
      runs.push(j);
    }
  });
  await Promise.all(clients.map(async (c) => {
    for (let k = 0; k < WRITES_EACH; k++) await createUnit(c);
  }));
  writing = false;
  await Promise.all(verifyLoops);
  const bad = runs.filter((j) => j.ok !== true);
  assert.deepEqual(bad, [], `${bad.length} of ${runs.length} verifications failed during writes`);
  assert.ok(runs.length >= 2, `only ${runs.length} verification(s) ran during the writes`);
  const last = expectStatus(await checker.get('/audit/verify'), 200);
  assert.equal(last.ok, true);
  assert.ok(last.entries >= WRITERS * WRITES_EACH);
});
