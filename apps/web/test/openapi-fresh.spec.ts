import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm run openapi -- --check` in a child process (openapi-typescript loads an
 * ES module that Node requires natively but Jest's module system does not):
 * it builds the API's OpenAPI document offline and its types in memory, and
 * compares both with the committed apps/web/src/api files.
 */
describe("the web pages' API types", () => {
  it("match the API's current OpenAPI document, built without connecting to anything", () => {
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        '-r',
        join(__dirname, 'no-connections.ts'),
        join('apps', 'web', 'tools', 'api-types.ts'),
        '--check',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' }, timeout: 120_000 },
    );
    if (run.status !== 0) throw new Error(run.stderr || run.error?.message || `the check ended with status ${run.status}`);
  }, 130_000);
});
