import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@tiersight/audit';
import type { LotFlag, LotFlagAlert, RecallScope } from '@tiersight/contracts';
import { FlaggedLotsRepository } from './flagged-lots.repository';
import { TraceService } from './trace.service';
import { TraceabilityError, TraceabilityErrorCode } from './traceability.error';

/** Flagged lots one SKU's list shows at most. */
export const MAX_SKU_FLAGGED_LOTS = 1000;

/** A flagged lot, its flags (one per cause) and its recall scope: the product affected. */
export interface FlaggedLotView {
  lot: LotFlagAlert['lot'];
  flags: LotFlag[];
  /** Its forward trace; null for a supplier key (the buyer's downstream lots and SKUs are not a supplier's to see). */
  recall: RecallScope | null;
}

export interface FlaggedLotPage {
  items: FlaggedLotView[];
  nextCursor: string | null;
}

/** A flagged lot feeding a SKU: its forward trace reaches a lot of the SKU's GTIN. */
export interface SkuFlaggedLot {
  lot: LotFlagAlert['lot'];
  flags: LotFlag[];
  /** Transformation levels from the flagged lot to the SKU's lot (0: it is one). */
  depth: number;
  /** The nearest lot of the SKU's GTIN it went into. */
  reaches: string;
}

export interface SkuFlaggedLots {
  skuId: string;
  gtin: string | null;
  items: SkuFlaggedLot[];
  /** More than MAX_SKU_FLAGGED_LOTS feed it. */
  truncated: boolean;
}

const invalidCursor = () =>
  new TraceabilityError(TraceabilityErrorCode.InvalidQuery, 'cursor: not a cursor this API issued', {
    errors: [{ field: 'cursor', message: 'not a cursor this API issued' }],
  });

export const encodeFlagCursor = (ms: number, lotId: string) => Buffer.from(JSON.stringify([ms, lotId]), 'utf8').toString('base64url');

export function decodeFlagCursor(cursor: string | undefined): { ms: number; lotId: string } | null {
  if (cursor === undefined || cursor === '') return null;
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(value) || value.length !== 2 || !Number.isSafeInteger(value[0]) || typeof value[1] !== 'string') throw invalidCursor();
  return { ms: value[0] as number, lotId: value[1] as string };
}

/** The API's reads of the risk link (DESIGN §11): flagged lots with their recall scope, and the flagged lots feeding a SKU. */
@Injectable()
export class FlaggedLotsService {
  constructor(
    private readonly flagged: FlaggedLotsRepository,
    private readonly traces: TraceService,
  ) {}

  /** Flagged lots, the most recently flagged first; a supplier key sees only the flags at its own sites. */
  async list(query: { limit: number; cursor?: string; causeId?: string }, actor: AuditActor): Promise<FlaggedLotPage> {
    const supplierId = actor.role === 'supplier' ? (actor.supplierId ?? '') : null;
    const rows = await this.flagged.list({ causeId: query.causeId ?? null, supplierId }, decodeFlagCursor(query.cursor), query.limit + 1);
    const page = rows.slice(0, query.limit);
    const items: FlaggedLotView[] = [];
    for (const row of page) items.push({ lot: row.lot, flags: row.flags, recall: supplierId === null ? await this.traces.recall(row.lot.lotId) : null });
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > query.limit ? encodeFlagCursor(last.lastFlaggedMs, last.lot.lotId) : null };
  }

  /** The flagged lots whose forward trace reaches a lot of the SKU's GTIN, the most recently flagged first. */
  async forSku(skuId: string): Promise<SkuFlaggedLots> {
    const gtin = await this.flagged.skuGtin(skuId);
    if (gtin === undefined) throw new TraceabilityError(TraceabilityErrorCode.SkuNotFound, `no SKU ${skuId}`);
    if (gtin === null) return { skuId, gtin, items: [], truncated: false };
    const rows = await this.flagged.feeding(gtin, MAX_SKU_FLAGGED_LOTS + 1);
    return {
      skuId,
      gtin,
      items: rows.slice(0, MAX_SKU_FLAGGED_LOTS).map(({ lot, flags, depth, reaches }) => ({ lot, flags, depth, reaches })),
      truncated: rows.length > MAX_SKU_FLAGGED_LOTS,
    };
  }
}
