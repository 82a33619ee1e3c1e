import type { LotFacts } from './trace.repository';
import type { TraceEvent, TraceResult } from './trace.service';

/** One row per lot of the recall scope: the traced lot first (depth 0, its origin as the event), then the trace's lots in its order. */
export const RECALL_SCOPE_COLUMNS = [
  'depth',
  'lotId',
  'kind',
  'gtin',
  'lot',
  'serial',
  'via',
  'siteId',
  'supplierId',
  'tier',
  'eventTime',
  'eventType',
  'bizStep',
  'eventId',
  'eventHash',
  'skuIds',
] as const;

/** Separates several SKU ids in one cell (a comma would need the cell quoted in every spreadsheet). */
const SKU_SEPARATOR = ' ';

/**
 * RFC 4180 cell: empty when absent, quoted when it holds a quote, a comma, a
 * line break or edge spaces. Text that a spreadsheet would run as a formula
 * (=, +, -, @ first) is led by an apostrophe: supplier and site ids come
 * from imports and portals, not from us.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === undefined || value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A forward trace as the recall scope CSV (header row, CRLF line ends as RFC 4180 writes them). */
export function recallScopeCsv(trace: TraceResult): string {
  const skusOf = new Map<string, string[]>();
  for (const sku of trace.skus) for (const lotId of sku.lotIds) skusOf.set(lotId, [...(skusOf.get(lotId) ?? []), sku.skuId]);
  const row = (depth: number, lot: LotFacts, via: string | null, event: TraceEvent | null) =>
    [
      depth,
      lot.lotId,
      lot.kind,
      lot.gtin,
      lot.lot,
      lot.serial,
      via,
      event?.site?.siteId,
      event?.site?.supplierId,
      event?.site?.tier,
      event?.eventTime,
      event?.type,
      event?.bizStep,
      event?.eventId,
      event?.eventHash,
      (skusOf.get(lot.lotId) ?? []).join(SKU_SEPARATOR),
    ]
      .map(csvCell)
      .join(',');
  const lines = [RECALL_SCOPE_COLUMNS.join(','), row(0, trace.lot, null, trace.lot.origin), ...trace.lots.map((l) => row(l.depth, l, l.via, l.event))];
  return `${lines.join('\r\n')}\r\n`;
}
