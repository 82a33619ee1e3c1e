import { deleteByPrefix, getJson, postJson, RunningApi, startApi } from '../support/api-harness';
import { RedisStore } from '@tiersight/queues';
import { deleteRedisKeys, obliterateQueues } from '../support/cleanup';
import { smallNetwork } from '../support/small-network';
import { ApiDocument, FuzzCase, Operation, operationsOf, sampleCases } from './bad-input-arbitraries';
import { FuzzReport, FuzzTarget, runCases, RunOptions, WriteMark } from './fuzz-runner';

/**
 * Low limits make "too large" cheap to reach; the rate limit is out of the way
 * (one key sends every case). Everything else is the API as configured.
 */
const FUZZ_SETTINGS = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  IMPORT_MAX_BODY_MB: '1',
  EPCIS_MAX_BYTES: String(64 * 1024),
};

const MARK = `
OPTIONAL MATCH (m:GraphMeta {id: 'graph'})
OPTIONAL MATCH (h:AuditHead {id: 'audit'})
RETURN coalesce(m.version, 0) AS version, coalesce(h.seq, 0) AS seq, h.hash AS hash`;

/** The seed of a run: FUZZ_SEED when given (to reproduce one), else a fresh one that the run prints. */
export function fuzzSeed(given: string | undefined): number {
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${JSON.stringify(given)}`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/**
 * An API on a free port with a small network of its own and a supplier key
 * for the portal's routes. The network's ids carry a prefix made from the
 * seed, so the same seed sends byte for byte the same requests. `close`
 * removes what the run created: the network, and every node an accepted case
 * made (audit entries stay, so the chain stays whole). That is every node
 * created while it ran, so nothing else may write to its database meanwhile:
 * `npm test` runs integration files one at a time, `npm run fuzz` has a Neo4j
 * of its own.
 */
export class FuzzSession implements FuzzTarget {
  private api!: RunningApi;
  private supplierKey!: string;
  private nodesBefore: string[] = [];
  document!: ApiDocument;

  get url(): string {
    return this.api.url;
  }

  private constructor(
    readonly seed: number,
    readonly prefix: string,
  ) {}

  private get queuePrefix(): string {
    return `fuzz-${this.prefix.slice(0, -1)}`;
  }

  static async start(seed: number, overrides: Record<string, string> = {}): Promise<FuzzSession> {
    const session = new FuzzSession(seed, `Fz${(seed >>> 0).toString(36)}-`);
    await session.open(overrides);
    return session;
  }

  private async open(overrides: Record<string, string>): Promise<void> {
    const p = this.prefix;
    this.api = await startApi({ QUEUE_PREFIX: this.queuePrefix, ...FUZZ_SETTINGS, ...overrides });
    await this.removeNetwork(); // what an earlier run of the same seed may have left
    const imported = await postJson(`${this.url}/v1/graph/import`, smallNetwork(p));
    if (imported.status !== 200) throw new Error(`the fuzz network was not imported: ${imported.status} ${JSON.stringify(imported.body)}`);
    // Every node from here on is the run's own (the supplier key included) and goes at the end.
    const nodes = await this.api.neo4j.run<{ id: string }>('MATCH (n) RETURN elementId(n) AS id');
    this.nodesBefore = nodes.records.map((r) => r.get('id'));
    const key = await postJson(`${this.url}/v1/admin/keys`, { role: 'supplier', supplierId: `${p}SUP-T2`, name: `${p}fuzz` });
    if (key.status !== 201) throw new Error(`no supplier key: ${key.status}`);
    this.supplierKey = key.body.key;
    this.document = (await getJson(`${this.url}/docs/openapi.json`)).body as ApiDocument;
  }

  /** Ids that exist: some cases get past "not found" to the code behind it. */
  get ids(): string[] {
    const p = this.prefix;
    return ['SUP-T2', 'SUP-C', 'T2a', 'C1', 'M1', 'SKU-A', 'P-mod'].map((id) => p + id);
  }

  operations(): Operation[] {
    return operationsOf(this.document);
  }

  cases(count: number): Iterable<FuzzCase> {
    return sampleCases(this.document, { ids: this.ids }, this.seed, count);
  }

  keyFor(operation: string): string {
    // The portal is for supplier keys alone: an admin key would stop every case at the role check.
    return operation.includes(' /v1/portal/') ? this.supplierKey : this.api.adminKey;
  }

  /** One read per case: the graph version (SupplyNetworkReader's GraphMeta node) and the audit chain's head (AuditRepository's AuditHead). */
  async mark(): Promise<WriteMark> {
    const res = await this.api.neo4j.run<{ version: number; seq: number; hash: string | null }>(MARK);
    const r = res.records[0];
    return { graphVersion: r.get('version'), auditSeq: r.get('seq'), auditHash: r.get('hash') };
  }

  run(count: number, options?: RunOptions): Promise<FuzzReport> {
    return runCases(this, this.cases(count), options);
  }

  async close(): Promise<void> {
    try {
      await obliterateQueues(this.api.app);
      await deleteRedisKeys(this.api.app.get(RedisStore).client, this.queuePrefix); // dead letters, rate counts
      await this.api.neo4j.run('MATCH (n) WHERE NOT elementId(n) IN $before AND NOT n:AuditEntry AND NOT n:AuditHead DETACH DELETE n', {
        before: this.nodesBefore,
      });
      await this.removeNetwork();
    } finally {
      await this.api.close();
    }
  }

  /** The run's network, and what its supplier disclosed through the portal. */
  private async removeNetwork(): Promise<void> {
    await this.api.neo4j.run(
      'MATCH (d) WHERE (d:Supplier OR d:Part) AND d.ownerSupplierId STARTS WITH $p OPTIONAL MATCH (d)-[:OPERATES]->(s:Site) DETACH DELETE d, s',
      { p: this.prefix },
    );
    await deleteByPrefix(this.api.neo4j, this.prefix);
  }
}
