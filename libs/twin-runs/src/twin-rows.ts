import type { SkuOutlook, Summary } from '@tiersight/twin-engine';
import { TwinError, TwinErrorCode } from './twin.error';

/** Curve values are stored rounded to this many decimals (a share of samples and a mean lost fraction). */
const CURVE_DECIMALS = 6;

/**
 * One SKU's outlook as stored: the engine's figures, with the daily curve cut
 * to the days where it is not zero (`from` is the first of them). A SKU short
 * for a few weeks of a 180-day horizon stores those weeks only.
 */
export interface StoredOutlook {
  skuId: string;
  probability: number;
  exposedSamples: number;
  revenueAtRisk: Summary;
  days: Summary;
  onset: Summary;
  curve: { from: number; short: number[]; lostFraction: number[] };
}

/** One SKU's outlook as read: the curve over the whole horizon, day t at index t. */
export type SkuOutlookView = Omit<StoredOutlook, 'curve'> & { curve: { short: number[]; lostFraction: number[] } };

export function toStoredOutlook(s: SkuOutlook): StoredOutlook {
  const { short, lostFraction } = s.curve;
  let from = 0;
  while (from < short.length && short[from] === 0 && lostFraction[from] === 0) from++;
  let to = short.length;
  while (to > from && short[to - 1] === 0 && lostFraction[to - 1] === 0) to--;
  return {
    skuId: s.skuId,
    probability: s.probability,
    exposedSamples: s.exposedSamples,
    revenueAtRisk: s.revenueAtRisk,
    days: s.days,
    onset: s.onset,
    curve: { from, short: short.slice(from, to).map(round), lostFraction: lostFraction.slice(from, to).map(round) },
  };
}

export function toOutlookView(row: StoredOutlook, horizonDays: number): SkuOutlookView {
  const short = new Array<number>(horizonDays).fill(0);
  const lostFraction = new Array<number>(horizonDays).fill(0);
  row.curve.short.forEach((v, i) => (short[row.curve.from + i] = v));
  row.curve.lostFraction.forEach((v, i) => (lostFraction[row.curve.from + i] = v));
  return { ...row, curve: { short, lostFraction } };
}

function round(v: number): number {
  return Number(v.toFixed(CURVE_DECIMALS));
}

/** Cursors are opaque to clients: a tag and a position in the run's SKU order, base64url. */
export function encodeCursor(tag: string, position: number): string {
  return Buffer.from(`${tag}${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(tag: string, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = new RegExp(`^${tag}(\\d{1,9})$`).exec(text);
  if (!match) throw new TwinError(TwinErrorCode.InvalidCursor, 'cursor is not one this API issued for this list');
  return Number(match[1]);
}
