import { Injectable } from '@nestjs/common';
import type { Page } from '@tiersight/graph';
import { TwinError, TwinErrorCode } from './twin.error';
import { decodeCursor, encodeCursor, toOutlookView, type SkuOutlookView, type StoredOutlook } from './twin-rows';
import { TwinRunStore, type TwinRunRecord } from './twin-run.store';

export interface SkuPageQuery {
  limit: number;
  cursor?: string;
  /** Only this SKU (a page of one, or none when its probability is 0). */
  skuId?: string;
  /** Only SKUs at least this likely to be exposed. */
  minProbability?: number;
}

/** A figure in two runs: `delta` is other − run. */
export interface Delta {
  run: number;
  other: number;
  delta: number;
}

export interface SkuDelta {
  skuId: string;
  probability: Delta;
  revenueAtRiskP50: Delta;
  revenueAtRiskP90: Delta;
  revenueAtRiskMean: Delta;
}

export interface TwinComparison {
  runId: string;
  otherId: string;
  /** What the two runs differ in besides their draws' outcome. */
  differs: {
    graphVersion: boolean;
    events: boolean;
    scenario: boolean;
    seed: boolean;
    samples: boolean;
    horizonDays: boolean;
    threshold: boolean;
    parameters: boolean;
  };
  graphVersion: { run: number; other: number };
  events: { onlyInRun: string[]; onlyInOther: string[] };
  total: { mean: Delta; p10: Delta; p50: Delta; p90: Delta };
  /** Per SKU exposed in either run: the run's SKUs in its order, then the other's that the run does not list. */
  skus: Page<SkuDelta>;
}

/** Rows read per Redis round trip while a filtered page is scanned. */
const SCAN_CHUNK = 200;
/** A filtered page scans at most this many rows; it may then hold fewer than `limit` items (follow `nextCursor`). */
const MAX_SCAN = 5000;
const ORDER_TAG = 'r';
const RUN_TAG = 'a';
const OTHER_TAG = 'b';

/** Reads a finished run's per-SKU results a page at a time, and compares two runs. */
@Injectable()
export class TwinResults {
  constructor(private readonly store: TwinRunStore) {}

  /** One page of a succeeded run's SKUs by mean revenue at risk, filtered. */
  async skuPage(run: TwinRunRecord, q: SkuPageQuery): Promise<Page<SkuOutlookView>> {
    const horizon = run.request.horizonDays;
    const minProbability = q.minProbability ?? 0;
    const at = decodeCursor(ORDER_TAG, q.cursor);
    if (q.skuId !== undefined) {
      const [row] = await this.store.rows(run.id, [q.skuId]);
      return { items: row && row.probability >= minProbability && at === 0 ? [toOutlookView(row, horizon)] : [], nextCursor: null };
    }
    const count = run.summary?.skuCount ?? 0;
    const items: SkuOutlookView[] = [];
    let next = at;
    const scanLimit = minProbability > 0 ? MAX_SCAN : q.limit;
    while (items.length < q.limit && next < count && next - at < scanLimit) {
      const chunk = minProbability > 0 ? SCAN_CHUNK : q.limit - items.length;
      const ids = await this.store.orderSlice(run.id, next, Math.min(count, next + chunk));
      if (ids.length === 0) break;
      const rows = await this.store.rows(run.id, ids);
      for (const row of rows) {
        next++;
        if (row && row.probability >= minProbability) items.push(toOutlookView(row, horizon));
        if (items.length === q.limit) break;
      }
    }
    return { items, nextCursor: next < count ? encodeCursor(ORDER_TAG, next) : null };
  }

  /** Per-SKU and total deltas of `other` against `run` (both succeeded), and what differs between them. */
  async compare(run: TwinRunRecord, other: TwinRunRecord, q: { limit: number; cursor?: string }): Promise<TwinComparison> {
    for (const r of [run, other]) {
      if (r.status !== 'succeeded' || !r.summary || !r.state) throw new TwinError(TwinErrorCode.RunNotReady, `twin run ${r.id} is ${r.status}, not succeeded`);
    }
    const [a, b] = [run.state!, other.state!];
    const [sa, sb] = [run.summary!, other.summary!];
    const inRun = new Set(a.eventIds);
    const inOther = new Set(b.eventIds);
    const onlyInRun = a.eventIds.filter((id) => !inOther.has(id));
    const onlyInOther = b.eventIds.filter((id) => !inRun.has(id));
    const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
    return {
      runId: run.id,
      otherId: other.id,
      differs: {
        graphVersion: a.graphVersion !== b.graphVersion,
        events: onlyInRun.length + onlyInOther.length > 0,
        scenario: !same(run.request.scenario, other.request.scenario),
        seed: run.request.seed !== other.request.seed,
        samples: run.request.samples !== other.request.samples,
        horizonDays: run.request.horizonDays !== other.request.horizonDays,
        threshold: run.request.threshold !== other.request.threshold,
        parameters: !same([a.drawParameters, a.recovery], [b.drawParameters, b.recovery]),
      },
      graphVersion: { run: a.graphVersion, other: b.graphVersion },
      events: { onlyInRun, onlyInOther },
      total: {
        mean: delta(sa.total.mean, sb.total.mean),
        p10: delta(sa.total.p10, sb.total.p10),
        p50: delta(sa.total.p50, sb.total.p50),
        p90: delta(sa.total.p90, sb.total.p90),
      },
      skus: await this.skuDeltas(run, other, q),
    };
  }

  /**
   * The run's SKUs in its order (cursor tag a), then the other run's SKUs the
   * run does not list, in the other's order (tag b).
   */
  private async skuDeltas(run: TwinRunRecord, other: TwinRunRecord, q: { limit: number; cursor?: string }): Promise<Page<SkuDelta>> {
    let phase = RUN_TAG;
    let at = 0;
    if (q.cursor !== undefined) {
      try {
        at = decodeCursor(RUN_TAG, q.cursor);
      } catch {
        at = decodeCursor(OTHER_TAG, q.cursor);
        phase = OTHER_TAG;
      }
    }
    const items: SkuDelta[] = [];
    const runCount = run.summary!.skuCount;
    const otherCount = other.summary!.skuCount;
    if (phase === RUN_TAG) {
      while (items.length < q.limit && at < runCount) {
        const ids = await this.store.orderSlice(run.id, at, Math.min(runCount, at + q.limit - items.length));
        if (ids.length === 0) break;
        const [mine, theirs] = await Promise.all([this.store.rows(run.id, ids), this.store.rows(other.id, ids)]);
        ids.forEach((skuId, i) => items.push(skuDelta(skuId, mine[i], theirs[i])));
        at += ids.length;
      }
      if (items.length === q.limit)
        return { items, nextCursor: at < runCount || otherCount > 0 ? encodeCursor(at < runCount ? RUN_TAG : OTHER_TAG, at < runCount ? at : 0) : null };
      at = 0; // on to the other run's SKUs
    }
    let scanned = 0;
    while (items.length < q.limit && at < otherCount && scanned < MAX_SCAN) {
      const ids = await this.store.orderSlice(other.id, at, Math.min(otherCount, at + SCAN_CHUNK));
      if (ids.length === 0) break;
      const [mine, theirs] = await Promise.all([this.store.rows(run.id, ids), this.store.rows(other.id, ids)]);
      for (let i = 0; i < ids.length && items.length < q.limit; i++) {
        at++;
        scanned++;
        if (mine[i] === null) items.push(skuDelta(ids[i], null, theirs[i]));
      }
    }
    return { items, nextCursor: at < otherCount ? encodeCursor(OTHER_TAG, at) : null };
  }
}

function delta(run: number, other: number): Delta {
  return { run, other, delta: other - run };
}

/** A SKU a run does not list was never exposed there: probability and revenue at risk 0. */
function skuDelta(skuId: string, run: StoredOutlook | null, other: StoredOutlook | null): SkuDelta {
  return {
    skuId,
    probability: delta(run?.probability ?? 0, other?.probability ?? 0),
    revenueAtRiskP50: delta(run?.revenueAtRisk.p50 ?? 0, other?.revenueAtRisk.p50 ?? 0),
    revenueAtRiskP90: delta(run?.revenueAtRisk.p90 ?? 0, other?.revenueAtRisk.p90 ?? 0),
    revenueAtRiskMean: delta(run?.revenueAtRisk.mean ?? 0, other?.revenueAtRisk.mean ?? 0),
  };
}
