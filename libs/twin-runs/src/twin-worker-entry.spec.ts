import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_WORKER_FILE, twinWorkerEntry } from './twin-worker-entry';

describe('twinWorkerEntry', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'twin-entry-'));

  it('prefers the bundle next to an app’s main.js, with no Node options', () => {
    const d = dir();
    writeFileSync(join(d, BUNDLED_WORKER_FILE), '');
    writeFileSync(join(d, 'twin.worker.ts'), '');
    expect(twinWorkerEntry(d)).toEqual({ file: join(d, BUNDLED_WORKER_FILE), execArgv: [] });
  });

  it('runs the TypeScript source under ts-node with the path aliases', () => {
    const d = dir();
    writeFileSync(join(d, 'twin.worker.ts'), '');
    expect(twinWorkerEntry(d)).toEqual({
      file: join(d, 'twin.worker.ts'),
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    });
  });

  it('finds nothing in an empty directory, and the source next to itself by default', () => {
    expect(twinWorkerEntry(dir())).toBeNull();
    expect(twinWorkerEntry()?.file).toBe(join(__dirname, 'twin.worker.ts'));
  });
});
