jest.setTimeout(300_000);

import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventIngestService } from '@tiersight/disruptions';
import { EventRepository, ImportService, MigrationRunner, Neo4jService } from '@tiersight/graph';
import { type EventPayload, RedisStore } from '@tiersight/queues';
import { ProjectionCache } from '@tiersight/risk-runs';
import { deleteByPrefix, startWorker } from '../../../test/support/api-harness';
import { deleteRedisKeys, obliterateQueues } from '../../../test/support/cleanup';
import { smallNetwork } from '../../../test/support/small-network';
import { uniquePrefix } from '../../../test/support/test-env';
import { eventually } from '../../../test/support/wait';

const ROOT = join(__dirname, '..', '..', '..');
const lib = (file: string) => pathToFileURL(join(ROOT, 'scripts', 'lib', file)).href;

/**
 * Stops the Neo4j that the services scripts started for this suite's
 * TIERSIGHT_HOME, deletes its data and starts it again: a new, empty database
 * (with a new id) at the same address, as `npm test` makes one.
 */
function resetNeo4j(): Promise<void> {
  const script = `
    import { rmSync } from 'node:fs';
    import { serviceConfig } from '${lib('services.mjs')}';
    import { ensureNeo4j, neo4jPaths, ownNeo4jPid } from '${lib('neo4j.mjs')}';
    import { stopPid } from '${lib('shell.mjs')}';
    const cfg = serviceConfig();
    const pid = ownNeo4jPid(cfg.home);
    if (!pid) throw new Error('no Neo4j started by the services scripts under ' + cfg.home);
    await stopPid(pid, 60000);
    rmSync(neo4jPaths(cfg.home).data, { recursive: true, force: true });
    await ensureNeo4j(cfg, () => {});`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`resetting Neo4j failed (${code}): ${stderr.trim()}`))));
  });
}

// Only a Neo4j of the suite's own (npm test sets TIERSIGHT_HOME to .local/test, or TEST_HOME) is ever reset: never the development one.
const home = process.env.TIERSIGHT_HOME;
const ownNeo4j = home !== undefined && resolve(ROOT, home) !== resolve(ROOT, '.local');
const describeOwn = ownNeo4j ? describe : describe.skip;

/**
 * A Neo4j database reset under a running worker (real Neo4j, reset by
 * stopping it, deleting its data and starting it again; real Redis): without
 * a restart, the worker's risk projection is the new database's graph (whose
 * versions start afresh, below the old one's), and an event stored again in
 * the new database is geo-matched again, as its job ids name the database.
 */
describeOwn('a database reset under a running worker (real Neo4j and Redis)', () => {
  const p = uniquePrefix('rst');
  const q = uniquePrefix('rst2');
  const queuePrefix = p.slice(0, -1);
  let worker: INestApplication;

  // One event, the same content before and after the reset: a storm over the T2a plants of both networks.
  const storm: EventPayload = {
    id: `${p}EV-storm`,
    source: 'push',
    type: 'storm',
    title: 'Storm over Taichung',
    severity: 0.5,
    expectedDurationDays: 4,
    geometry: { type: 'Point', coordinates: [120.67, 24.15], radiusKm: 2 } as EventPayload['geometry'],
    country: null,
    startsAt: '2026-01-01T00:00:00.000Z',
  };
  const hitsOf = async () => {
    try {
      return (await worker.get(EventRepository).get(storm.id)).hits.map((h) => h.siteId);
    } catch {
      return null;
    }
  };
  /** The sites of this run's networks the storm hits, once it hits any (other runs' copies may stand in the same place). */
  const matched = (what: string) =>
    eventually(what, async () => {
      const ids = ((await hitsOf()) ?? []).filter((id) => id.startsWith(p) || id.startsWith(q));
      return ids.length ? ids : null;
    });

  beforeAll(async () => {
    worker = await startWorker({ QUEUE_PREFIX: queuePrefix });
  });

  afterAll(async () => {
    const neo4j = worker.get(Neo4jService);
    await deleteByPrefix(neo4j, p);
    await deleteByPrefix(neo4j, q);
    await obliterateQueues(worker);
    await deleteRedisKeys(worker.get(RedisStore).client, queuePrefix);
    await worker.close();
  });

  it('loads the new graph and matches the event again, without a restart', async () => {
    const imports = worker.get(ImportService);
    const projections = worker.get(ProjectionCache);
    await imports.import(smallNetwork(p));
    await imports.import(smallNetwork(p)); // a second version: the old database ends above the new one's first
    const before = await projections.current();
    expect(before.graphVersion).toBeGreaterThanOrEqual(2);
    expect(before.projection.indexOf(`${p}T2a`)).toBeGreaterThanOrEqual(0);

    await worker.get(EventIngestService).upsert(storm);
    expect(await matched('the storm matched')).toEqual([`${p}T2a`]);

    await resetNeo4j();
    // What an API start does on a new database.
    await worker.get(MigrationRunner).migrate();
    await imports.import(smallNetwork(q));

    const after = await projections.current();
    expect(after.databaseId).not.toBe(before.databaseId);
    expect(after.graphVersion).toBe(1);
    expect(after.projection.indexOf(`${q}T2a`)).toBeGreaterThanOrEqual(0);
    expect(after.projection.indexOf(`${p}T2a`)).toBe(-1);

    // The same event again, in the new database: its match job must not be taken for the old database's.
    expect(await worker.get(EventIngestService).upsert(storm)).toEqual({ changed: true });
    expect(await matched('the storm matched in the new database')).toEqual([`${q}T2a`]);
  });
});
