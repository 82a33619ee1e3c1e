import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import type { LotFlag, LotFlagAlert } from '@tiersight/contracts';
import { Neo4jService } from '@tiersight/graph';
import { FLAG_FIELDS, toLotFlag, type StoredFlag } from './lot-flag.repository';
import { MAX_TRACE_DEPTH } from './trace.service';

/** A flagged lot with its flags. */
export interface FlaggedLotRow {
  lot: LotFlagAlert['lot'];
  flags: LotFlag[];
  /** When it was last flagged (ms): the list's order. */
  lastFlaggedMs: number;
}

// Flagged lots, the most recently flagged first; a supplier sees the flags at its own sites only.
const LIST = `
MATCH (f:LotFlag)
WHERE ($causeId IS NULL OR f.causeId = $causeId)
  AND ($supplierId IS NULL OR EXISTS { MATCH (s:Site {id: f.siteId}) WHERE s.supplierId = $supplierId })
WITH f.lotId AS lotId, max(f.flaggedAtMs) AS lastMs, collect(f) AS flags
WHERE $after IS NULL OR lastMs < $after.ms OR (lastMs = $after.ms AND lotId > $after.lotId)
WITH lotId, lastMs, flags ORDER BY lastMs DESC, lotId LIMIT $limit
OPTIONAL MATCH (l:Lot {id: lotId})
RETURN lotId, lastMs, l { .kind, .gtin, .lot, .serial } AS lot, [f IN flags | ${FLAG_FIELDS}] AS flags
ORDER BY lastMs DESC, lotId`;

const SKU = `MATCH (k:Sku {id: $skuId}) RETURN k.gtin AS gtin`;

// Flagged lots whose forward trace reaches a lot of the GTIN: the shortest WENT_INTO walk from each (0 when the lot is one itself).
const FEEDING = `
MATCH (f:LotFlag)
WITH f.lotId AS lotId, collect(f) AS flags, max(f.flaggedAtMs) AS lastMs
MATCH (l:Lot {id: lotId})
MATCH path = SHORTEST 1 (l)-[:WENT_INTO]->{0,${MAX_TRACE_DEPTH}}(q:Lot {gtin: $gtin})
// SHORTEST 1 is per (l, q): keep each flagged lot once, by its nearest lot of the SKU
WITH l, flags, lastMs, length(path) AS depth, q.id AS reaches
ORDER BY depth, reaches
WITH l, flags, lastMs, head(collect({depth: depth, reaches: reaches})) AS nearest
WITH l, flags, lastMs, nearest.depth AS depth, nearest.reaches AS reaches
RETURN l { lotId: l.id, .kind, .gtin, .lot, .serial } AS lot, [f IN flags | ${FLAG_FIELDS}] AS flags, lastMs, depth, reaches
ORDER BY lastMs DESC, lot.lotId
LIMIT $limit`;

const lotOf = (lotId: string, l: Partial<LotFlagAlert['lot']> | null): LotFlagAlert['lot'] => ({
  lotId,
  kind: l?.kind ?? 'other',
  gtin: l?.gtin ?? null,
  lot: l?.lot ?? null,
  serial: l?.serial ?? null,
});

/** The API's reads of flagged lots: the list, and the lots feeding one SKU. */
@Injectable()
export class FlaggedLotsRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async list(
    filter: { causeId: string | null; supplierId: string | null },
    after: { ms: number; lotId: string } | null,
    limit: number,
  ): Promise<FlaggedLotRow[]> {
    const res = await this.neo4j.read((tx) => tx.run(LIST, { ...filter, after, limit: neo4j.int(limit) }));
    return res.records.map((r) => ({
      lot: lotOf(r.get('lotId') as string, r.get('lot') as Partial<LotFlagAlert['lot']> | null),
      flags: (r.get('flags') as StoredFlag[]).map(toLotFlag).sort(byFlaggedAt),
      lastFlaggedMs: r.get('lastMs') as number,
    }));
  }

  /** The SKU's GTIN; undefined when there is no such SKU (null when it has no GTIN). */
  async skuGtin(skuId: string): Promise<string | null | undefined> {
    const res = await this.neo4j.read((tx) => tx.run(SKU, { skuId }));
    return res.records.length ? ((res.records[0].get('gtin') as string | null) ?? null) : undefined;
  }

  async feeding(gtin: string, limit: number): Promise<Array<FlaggedLotRow & { depth: number; reaches: string }>> {
    const res = await this.neo4j.read((tx) => tx.run(FEEDING, { gtin, limit: neo4j.int(limit) }));
    return res.records.map((r) => {
      const lot = r.get('lot') as LotFlagAlert['lot'];
      return {
        lot: lotOf(lot.lotId, lot),
        flags: (r.get('flags') as StoredFlag[]).map(toLotFlag).sort(byFlaggedAt),
        lastFlaggedMs: r.get('lastMs') as number,
        depth: r.get('depth') as number,
        reaches: r.get('reaches') as string,
      };
    });
  }
}

const byFlaggedAt = (a: LotFlag, b: LotFlag) =>
  a.flaggedAt < b.flaggedAt ? -1 : a.flaggedAt > b.flaggedAt ? 1 : a.cause.id < b.cause.id ? -1 : a.cause.id > b.cause.id ? 1 : 0;
