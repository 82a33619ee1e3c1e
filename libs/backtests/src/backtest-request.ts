import { BacktestError, BacktestErrorCode } from './backtest.error';
import { type BacktestDocument, maxDocumentBytes } from './document-events';

const DAY_MS = 86_400_000;

/** A backtest as asked for: a range and either the platform's own event history or recorded feed documents. */
export interface BacktestRequest {
  from: string;
  to: string;
  source?: 'history';
  documents?: BacktestDocument[];
}

/** What a backtest ran on, as its record shows it (documents by format, name and size, not content). */
export interface ResolvedBacktestRequest {
  from: string;
  to: string;
  source: 'history' | 'documents';
  documents: Array<{ format: BacktestDocument['format']; name: string | null; bytes: number; receivedAt: string | null }>;
}

export interface BacktestLimits {
  BACKTEST_MAX_RANGE_DAYS: number;
  BACKTEST_MAX_DOCUMENTS: number;
}

/** An ISO 8601 instant (date and time), normalised to UTC with milliseconds; null when it is none. */
export function isoInstant(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/**
 * Checks a request before anything is stored: `from` and `to` instants with
 * `from` < `to` at most BACKTEST_MAX_RANGE_DAYS apart (InvalidRange), exactly
 * one of `source` and `documents`, 1 to BACKTEST_MAX_DOCUMENTS documents with
 * valid `receivedAt` (InvalidRequest), each within its format's size limit
 * (DocumentTooLarge).
 */
export function resolveRequest(body: BacktestRequest, limits: BacktestLimits): ResolvedBacktestRequest {
  const from = isoInstant(body.from);
  const to = isoInstant(body.to);
  if (!from || !to) throw new BacktestError(BacktestErrorCode.InvalidRange, '`from` and `to` must be ISO 8601 instants (e.g. 2023-10-01T00:00:00Z)');
  const span = Date.parse(to) - Date.parse(from);
  if (span <= 0) throw new BacktestError(BacktestErrorCode.InvalidRange, `\`to\` (${to}) must be after \`from\` (${from})`);
  if (span > limits.BACKTEST_MAX_RANGE_DAYS * DAY_MS) {
    throw new BacktestError(
      BacktestErrorCode.InvalidRange,
      `the range spans ${Math.ceil(span / DAY_MS)} days; at most ${limits.BACKTEST_MAX_RANGE_DAYS} (BACKTEST_MAX_RANGE_DAYS)`,
    );
  }
  const hasSource = body.source !== undefined;
  const hasDocuments = body.documents !== undefined;
  if (hasSource === hasDocuments) {
    throw new BacktestError(BacktestErrorCode.InvalidRequest, 'give either `source: "history"` or `documents`, not both and not neither');
  }
  if (hasSource) return { from, to, source: 'history', documents: [] };
  const documents = body.documents!;
  if (documents.length === 0 || documents.length > limits.BACKTEST_MAX_DOCUMENTS) {
    throw new BacktestError(
      BacktestErrorCode.InvalidRequest,
      `give 1 to ${limits.BACKTEST_MAX_DOCUMENTS} documents (BACKTEST_MAX_DOCUMENTS); got ${documents.length}`,
    );
  }
  return {
    from,
    to,
    source: 'documents',
    documents: documents.map((d, i) => {
      const bytes = Buffer.byteLength(d.content, 'utf8');
      const max = maxDocumentBytes(d.format);
      if (bytes > max) {
        throw new BacktestError(BacktestErrorCode.DocumentTooLarge, `documents[${i}] is ${bytes} bytes, over the ${d.format} feed limit of ${max} bytes`);
      }
      let receivedAt: string | null = null;
      if (d.receivedAt !== undefined) {
        receivedAt = isoInstant(d.receivedAt);
        if (!receivedAt) throw new BacktestError(BacktestErrorCode.InvalidRequest, `documents[${i}].receivedAt must be an ISO 8601 instant`);
      }
      return { format: d.format, name: d.name ?? null, bytes, receivedAt };
    }),
  };
}
