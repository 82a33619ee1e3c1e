import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The layering in eslint.config.mjs is only worth having if breaking it fails
 * the lint: each case writes a probe file that breaks one rule on purpose into
 * the library it names, all probes are linted in one run with the project's
 * configuration, and each must fail with its rule (a probe that keeps the
 * rules must pass).
 */
const ROOT = join(__dirname, '..');
const ESLINT = join(ROOT, 'node_modules', '.bin', 'eslint');

interface Probe {
  what: string;
  lib: string;
  source: string;
  /** The message the lint must give, or null when the probe keeps the rules. */
  expected: RegExp | null;
}

const PROBES: Probe[] = [
  {
    what: 'a pure library importing an I/O library',
    lib: 'risk-engine',
    source: `import { Neo4jService } from '@tiersight/graph';\nexport type T = Neo4jService;\n`,
    expected: /may not depend on graph/,
  },
  {
    what: 'a pure library importing a driver',
    lib: 'contracts',
    source: `import neo4j from 'neo4j-driver';\nexport const d = neo4j;\n`,
    expected: /pure: no I\/O module/,
  },
  {
    what: 'a lower library importing a higher one',
    lib: 'queues',
    source: `import type { ProjectionCache } from '@tiersight/risk-runs';\nexport type T = ProjectionCache;\n`,
    expected: /may not depend on risk-runs/,
  },
  {
    what: 'a library reaching into another library',
    lib: 'webhooks',
    source: `import { QUEUES } from '@tiersight/queues/src/jobs';\nexport const q = QUEUES;\n`,
    expected: /through its index/,
  },
  {
    what: 'a library importing an app',
    lib: 'portal',
    source: `import { ApiModule } from '../../../apps/api/src/api.module';\nexport const m = ApiModule;\n`,
    expected: /never import apps/,
  },
  {
    what: 'process.env outside the config library',
    lib: 'graph',
    source: `export const uri = process.env.NEO4J_URI;\n`,
    expected: /through @tiersight\/config/,
  },
  {
    what: 'an import the allow-list permits',
    lib: 'risk-engine',
    source: `import type { Exposure } from '@tiersight/contracts';\nexport type T = Exposure;\n`,
    expected: null,
  },
];

describe('layering rules in eslint.config.mjs', () => {
  jest.setTimeout(240_000);
  const files = PROBES.map((p) => join(ROOT, 'libs', p.lib, 'src', `lint-probe-${randomUUID().slice(0, 8)}.ts`));
  const messages = new Map<string, string[]>();

  beforeAll(() => {
    PROBES.forEach((p, i) => writeFileSync(files[i], p.source));
    try {
      const run = spawnSync(ESLINT, ['--no-warn-ignored', '--format', 'json', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 220_000 });
      const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ message: string }> }>;
      for (const r of results)
        messages.set(
          r.filePath,
          r.messages.map((m) => m.message),
        );
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
  });

  it.each(PROBES.map((p, i) => [p.what, i] as const))('%s', (_what, i) => {
    const found = messages.get(files[i]);
    expect(found).toBeDefined();
    const expected = PROBES[i].expected;
    if (expected) expect(found!.join('\n')).toMatch(expected);
    else expect(found).toEqual([]);
  });
});
