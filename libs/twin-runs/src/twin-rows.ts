import type { SkuOutlook, Summary, SupplyRatioBand } from '@tiersight/twin-engine';
import { TwinError, TwinErrorCode } from './twin.error';

/** Curve values are stored rounded to this many decimals (a share of samples, a mean lost fraction, supply ratio percentiles). */
const CURVE_DECIMALS = 6;

/**
 * One SKU's outlook as stored: the engine's figures, with the daily curve cut
 * to the days where some sample is short (`from` is the first of them); on
 * the other days the share short and the lost fraction are 0 and every
 * supply ratio percentile is 1. A SKU short for a few weeks of a 180-day
 * horizon stores those weeks only. Rows stored before the percentiles were
 * recorded have no `supplyRatio`.
 */
export interface StoredOutlook {
  skuId: string;
  probability: number;
  exposedSamples: number;
  revenueAtRisk: Summary;
  days: Summary;
  onset: Summary;
  curve: { from: number; short: number[]; lostFraction: number[]; supplyRatio?: SupplyRatioBand };
}

/** One SKU's outlook as read: the curve over the whole horizon, day t at index t (no supply ratio percentiles for a row stored without them). */
export type SkuOutlookView = Omit<StoredOutlook, 'curve'> & { curve: { short: number[]; lostFraction: number[]; supplyRatio?: SupplyRatioBand } };

export function toStoredOutlook(s: SkuOutlook): StoredOutlook {
  const { short, lostFraction, supplyRatio } = s.curve;
  // A day nobody is short on has short 0 (the count is exact), lost fraction 0 and every ratio 1.
  let from = 0;
  while (from < short.length && short[from] === 0 && lostFraction[from] === 0) from++;
  let to = short.length;
  while (to > from && short[to - 1] === 0 && lostFraction[to - 1] === 0) to--;
  const cut = (values: number[]) => values.slice(from, to).map(round);
  return {
    skuId: s.skuId,
    probability: s.probability,
    exposedSamples: s.exposedSamples,
    revenueAtRisk: s.revenueAtRisk,
    days: s.days,
    onset: s.onset,
    curve: {
      from,
      short: cut(short),
      lostFraction: cut(lostFraction),
      supplyRatio: { p10: cut(supplyRatio.p10), p50: cut(supplyRatio.p50), p90: cut(supplyRatio.p90) },
    },
  };
}

export function toOutlookView(row: StoredOutlook, horizonDays: number): SkuOutlookView {
  const spread = (values: number[], fill: number) => {
    const out = new Array<number>(horizonDays).fill(fill);
    values.forEach((v, i) => (out[row.curve.from + i] = v));
    return out;
  };
  const band = row.curve.supplyRatio;
  const curve: SkuOutlookView['curve'] = { short: spread(row.curve.short, 0), lostFraction: spread(row.curve.lostFraction, 0) };
  if (band) curve.supplyRatio = { p10: spread(band.p10, 1), p50: spread(band.p50, 1), p90: spread(band.p90, 1) };
  return { ...row, curve };
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
