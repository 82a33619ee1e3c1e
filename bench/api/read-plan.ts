/**
 * The reads of bench/api: each one an API path and the same read as bare
 * Cypher — for exposures the very statements the platform's repository sends
 * (recorded once, replayed through the driver), for the RXI list an indexed
 * property — and the check that both answer the same.
 */
import neo4j, { Driver, ManagedTransaction, type Record as NeoRecord, type RecordShape } from 'neo4j-driver';
import { ExposureRepository, Neo4jService } from '@tiersight/graph';
import type { PlannedRequest } from './open-loop';

export interface Statement {
  query: string;
  params: Record<string, unknown>;
}

/**
 * The RXI top list without the platform: each site's RXI stored on it (by the
 * bench, from the platform's computation) under a range index, read in index
 * order with the site's operator.
 */
export const RXI_TOP = `
MATCH (s:Site) WHERE s.benchRxi > 0
WITH s ORDER BY s.benchRxi DESC, s.id ASC LIMIT $limit
MATCH (sup:Supplier)-[:OPERATES]->(s)
RETURN s.id AS siteId, sup.id AS supplierId, s.country AS country, s.benchTier AS tier, s.benchRxi AS rxi, s.benchRxiRevenue AS revenueAtRisk`;

export const RXI_INDEX = 'CREATE INDEX bench_site_rxi IF NOT EXISTS FOR (s:Site) ON (s.benchRxi)';

export type Read = PlannedRequest &
  (
    | { kind: 'list-first' | 'list-later' | 'list-filter'; limit: number; filter: ListFilter; cursor?: string }
    | { kind: 'sku'; skuId: string }
    | { kind: 'rxi'; limit: number }
  ) & { statements?: Statement[] };

export interface ListFilter {
  category?: string;
  eventId?: string;
  minRevenueAtRisk?: number;
}

export function listPath(limit: number, filter: ListFilter, cursor?: string): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (filter.category !== undefined) q.set('category', filter.category);
  if (filter.eventId !== undefined) q.set('eventId', filter.eventId);
  if (filter.minRevenueAtRisk !== undefined) q.set('minRevenueAtRisk', String(filter.minRevenueAtRisk));
  if (cursor) q.set('cursor', cursor);
  return `/v1/exposures?${q}`;
}

/**
 * The statements the platform's repository sends for a read, recorded while it
 * answers it once through the driver (so the baseline follows any change of
 * the repository's Cypher); for the RXI list, the indexed read above.
 */
export async function recordStatements(driver: Driver, read: Read): Promise<Statement[]> {
  if (read.kind === 'rxi') return [{ query: RXI_TOP, params: { limit: neo4j.int(read.limit) } }];
  const statements: Statement[] = [];
  const recording = {
    read: async <T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> => {
      const session = driver.session({ defaultAccessMode: neo4j.session.READ });
      try {
        return await session.executeRead((tx) =>
          work({
            ...tx,
            run: (query: string, params: Record<string, unknown> = {}) => {
              statements.push({ query, params });
              return tx.run<RecordShape>(query, params);
            },
          } as ManagedTransaction),
        );
      } finally {
        await session.close();
      }
    },
  } as unknown as Neo4jService;
  const repository = new ExposureRepository(recording);
  if (read.kind === 'sku') await repository.one(read.skuId);
  else await repository.list(read.limit, read.cursor, read.filter);
  return statements;
}

/** A bare read: its statements through the driver, each in a read transaction of its own, every record fetched (strings left as the driver returns them). */
export async function runBare(driver: Driver, read: Read) {
  let records: Array<NeoRecord<RecordShape>> = [];
  for (const { query, params } of read.statements!) records = (await driver.executeQuery(query, params, { routing: neo4j.routing.READ })).records;
  return records;
}

interface ExposureLike {
  skuId: string;
  x: number;
  days: number;
  revenueAtRisk: number;
  criticalPath?: Array<{ nodeId: string }>;
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const sameExposure = (a: ExposureLike, b: ExposureLike) =>
  a.skuId === b.skuId && same(a.x, b.x) && same(a.days, b.days) && same(a.revenueAtRisk, b.revenueAtRisk);

/** What differs between the API's answer and the bare read's records (null when they agree). */
export function difference(read: Read, api: unknown, records: Awaited<ReturnType<typeof runBare>>): string | null {
  if (read.kind === 'sku') {
    const body = api as ExposureLike & { attribution: Array<{ eventId: string }>; name: string };
    const r = records[0];
    if (!r || !r.get('json')) return 'the bare read found no exposure';
    const stored = JSON.parse(r.get('json') as string) as ExposureLike;
    if (!sameExposure(body, stored))
      return `exposure ${JSON.stringify([body.x, body.days, body.revenueAtRisk])} vs ${JSON.stringify([stored.x, stored.days, stored.revenueAtRisk])}`;
    const path = (e: ExposureLike) => (e.criticalPath ?? []).map((n) => n.nodeId).join('>');
    if (path(body) !== path(stored)) return `critical path ${path(body)} vs ${path(stored)}`;
    const events = (xs: Array<{ eventId: string }>) => xs.map((a) => a.eventId).join(',');
    if (events(body.attribution) !== events(r.get('attribution') as Array<{ eventId: string }>)) return 'attribution differs';
    return body.name === r.get('name') ? null : 'name differs';
  }
  if (read.kind === 'rxi') {
    const body = api as { sites: Array<{ siteId: string; supplierId: string; country: string; tier: number | null; rxi: number; revenueAtRisk: number }> };
    if (body.sites.length !== records.length) return `${body.sites.length} sites vs ${records.length}`;
    for (let i = 0; i < records.length; i++) {
      const [a, r] = [body.sites[i], records[i]];
      if (a.siteId !== r.get('siteId') || a.supplierId !== r.get('supplierId') || a.tier !== r.get('tier') || !same(a.rxi, r.get('rxi') as number))
        return `site ${i}: ${a.siteId} vs ${String(r.get('siteId'))}`;
    }
    return null;
  }
  const body = api as { items: Array<ExposureLike & { name: string }>; nextCursor: string | null };
  const rows = records.slice(0, read.limit).map((r) => ({ ...(JSON.parse(r.get('json') as string) as ExposureLike), name: r.get('name') as string }));
  if (body.items.length !== rows.length) return `${body.items.length} items vs ${rows.length}`;
  for (let i = 0; i < rows.length; i++)
    if (!sameExposure(body.items[i], rows[i]) || body.items[i].name !== rows[i].name) return `item ${i}: ${body.items[i].skuId} vs ${rows[i].skuId}`;
  if ((body.nextCursor !== null) !== records.length > read.limit) return 'next page differs';
  return null;
}

/** A deterministic generator in [0, 1). */
export function seeded(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The mix of a run: each kind's share of the requests. */
export const MIX: Record<Read['kind'], number> = { 'list-first': 0.2, 'list-later': 0.2, 'list-filter': 0.2, sku: 0.3, rxi: 0.1 };

/** `count` reads drawn from the distinct ones by the mix (a kind by its share, then one of its reads), deterministically. */
export function sequence(reads: readonly Read[], count: number, seed = 7): Read[] {
  const rnd = seeded(seed);
  const byKind = new Map<string, Read[]>();
  for (const r of reads) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  const kinds = Object.entries(MIX).filter(([k]) => byKind.has(k));
  const total = kinds.reduce((n, [, w]) => n + w, 0);
  return Array.from({ length: count }, () => {
    let u = rnd() * total;
    const [kind] = kinds.find(([, w]) => (u -= w) < 0) ?? kinds[kinds.length - 1];
    const list = byKind.get(kind)!;
    return list[Math.floor(rnd() * list.length)];
  });
}
