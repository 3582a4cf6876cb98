// Every fixture's output and report match the expected files (UPDATE_FIXTURES=1 rewrites them for review).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport } from '../../src/migrate/index.js';
import { fixtures, migrateFixture } from './support.js';

const update = process.env.UPDATE_FIXTURES === '1';

for (const f of fixtures()) {
  test(`fixture ${f.name}`, () => {
    const r = migrateFixture(f);
    const out = f.file.replace(/\.json$/, '.pkr.hcl');
    const report = formatReport(f.file, out, r.report, r.status);
    const expectedHcl = join(f.dir, 'expected.pkr.hcl');
    const expectedReport = join(f.dir, 'expected-report.txt');
    if (update) {
      writeFileSync(expectedHcl, r.hcl);
      writeFileSync(expectedReport, report);
    }
    assert.fixture(r.hcl, readFileSync(expectedHcl, 'utf8'), 'HCL output');
    assert.fixture(report, readFileSync(expectedReport, 'utf8'), 'report');
  });
}

test.run();
