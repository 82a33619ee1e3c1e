import { createHash } from 'node:crypto';
import type { AttributionWrite, ExposureRepository } from '@tiersight/graph';
import { compareIds, EventReach, EventReachSolver, ImpactInput, impactsByEvent, Projection, SiteImpact } from '@tiersight/risk-engine';

/** Reach entries kept at most (about 28 bytes each): past this, reaches are dropped after a run (their keys stay). */
const MAX_KEPT_ENTRIES = 4_000_000;

/** Part of every key: a change to what a record holds or how it is keyed makes every stored record differ. */
const FORMAT = 'a1';

type EventAttributionRecord = AttributionWrite['write'][number];
/** What Neo4j holds, per event: its record's keys (null when its records disagree, as after a write cut short). */
export type StoredKeys = Awaited<ReturnType<ExposureRepository['storedAttributionKeys']>>;

interface Kept {
  inputKey: string;
  contentKey: string;
  /** Null when not computed here: the stored record was made from the same graph and impacts (equal input key), or the reach was dropped to save memory. */
  reach: EventReach | null;
}

/**
 * Attribution (DESIGN §3.3) between runs and what to write of it. An event's
 * attribution depends only on the graph and its own impacts, so it is stored
 * per event and written only when its content changes: a run after one new
 * event computes and writes that event alone. Each stored record carries
 * two keys: the input key (graph id and version, the event's impacts site by
 * site) and the content key (a hash of what it holds). A run that finds a
 * stored input key equal to its own neither computes nor writes that event —
 * a worker starting on a database it wrote before computes nothing again —
 * and one that finds the stored content key equal to what it computed only
 * renews the input key (a graph change that leaves the event's reach as it was).
 */
export class AttributionCache {
  private projection: Projection | null = null;
  private solver: EventReachSolver | null = null;
  /** Per-SKU hashes of the ids, two lanes, for the content keys of this projection. */
  private idHash: [Uint32Array, Uint32Array] | null = null;
  private kept = new Map<string, Kept>();
  /** Reaches computed in the last update (for logs). */
  computed = 0;

  /**
   * Every active event against what Neo4j holds (`stored`, as read): records
   * to write so that afterwards it holds exactly the reaches of `impacts`'
   * events. For a full run, or whenever what is stored is not known.
   */
  reconcile(projection: Projection, graphKey: string, impacts: ReadonlyArray<ImpactInput>, stored: StoredKeys): AttributionWrite {
    this.use(projection);
    this.computed = 0;
    const byEvent = impactsByEvent(projection, impacts);
    const previous = this.kept;
    const next = new Map<string, Kept>();
    const out: AttributionWrite = { remove: [], write: [], rekey: [] };
    for (const eventId of [...byEvent.keys()].sort(compareIds)) {
      const sites = byEvent.get(eventId)!;
      const inputKey = this.inputKeyOf(graphKey, sites);
      const there = stored.get(eventId);
      const old = previous.get(eventId);
      if (there && there.inputKey === inputKey) {
        next.set(eventId, old?.inputKey === inputKey ? old : { inputKey, contentKey: there.contentKey, reach: null });
        continue;
      }
      const kept = old?.inputKey === inputKey && old.reach ? old : this.compute(inputKey, sites);
      next.set(eventId, kept);
      if (there && there.contentKey === kept.contentKey) out.rekey.push({ eventId, inputKey });
      else if (there !== undefined || kept.reach!.skus.length > 0) out.write.push(this.record(eventId, kept));
    }
    for (const eventId of stored.keys()) if (!next.has(eventId)) out.remove.push(eventId);
    this.kept = next;
    this.trim();
    return out;
  }

  /**
   * Only the given events brought up to their impacts (an empty list: the
   * event is gone), for a run that trusts Neo4j to hold what the last update
   * said. Null when that update was on another projection: then `reconcile`.
   */
  updateEvents(projection: Projection, graphKey: string, changes: ReadonlyMap<string, ReadonlyArray<ImpactInput>>): AttributionWrite | null {
    if (projection !== this.projection || !this.solver) return null;
    this.computed = 0;
    const out: AttributionWrite = { remove: [], write: [], rekey: [] };
    for (const eventId of [...changes.keys()].sort(compareIds)) {
      const impacts = changes.get(eventId)!.map((i) => ({ ...i, eventId }));
      const sites = impactsByEvent(projection, impacts).get(eventId);
      const old = this.kept.get(eventId);
      if (!sites) {
        if (old && this.kept.delete(eventId)) out.remove.push(eventId);
        continue;
      }
      const inputKey = this.inputKeyOf(graphKey, sites);
      if (old?.inputKey === inputKey) continue;
      const kept = this.compute(inputKey, sites);
      this.kept.set(eventId, kept);
      if (old && old.contentKey === kept.contentKey) out.rekey.push({ eventId, inputKey });
      else if (old || kept.reach!.skus.length > 0) out.write.push(this.record(eventId, kept));
    }
    this.trim();
    return out;
  }

  /** Active event ids, as of the last update. */
  eventIds(): string[] {
    return [...this.kept.keys()];
  }

  private use(projection: Projection): void {
    if (projection === this.projection) return;
    this.projection = projection;
    this.solver = new EventReachSolver(projection);
    this.idHash = null;
    // Reaches are node indices of the projection they were computed on.
    for (const kept of this.kept.values()) kept.reach = null;
  }

  private compute(inputKey: string, sites: ReadonlyMap<number, SiteImpact[]>): Kept {
    this.computed++;
    const reach = this.solver!.reachOf(sites);
    return { inputKey, contentKey: this.contentKeyOf(reach), reach };
  }

  /** Past MAX_KEPT_ENTRIES, reaches are dropped; their keys are all later runs need unless the event changes, and then it is computed anyway. */
  private trim(): void {
    let entries = 0;
    for (const { reach } of this.kept.values()) entries += reach?.skus.length ?? 0;
    if (entries > MAX_KEPT_ENTRIES) for (const kept of this.kept.values()) kept.reach = null;
  }

  /** The graph (database id and version) and the event's impacts by site id, as one hash: equal keys, equal reach. */
  private inputKeyOf(graphKey: string, sites: ReadonlyMap<number, SiteImpact[]>): string {
    const ids = this.projection!.nodeIds;
    const signature = [...sites]
      .map(([site, list]) => `${ids[site]}:${list.map((i) => `${i.x}/${i.days}`).join(',')}`)
      .sort()
      .join(';');
    return `${FORMAT}:${createHash('sha256').update(graphKey).update('\n').update(signature).digest('base64url')}`;
  }

  /**
   * What a record would hold (SKU ids, x, days, onset, daily revenue), as a
   * hash that does not depend on the order of the SKUs nor on the node
   * numbering: each entry hashed on two 32-bit lanes, the lanes summed.
   */
  private contentKeyOf(reach: EventReach): string {
    const projection = this.projection!;
    const [ha, hb] = this.idHashes();
    let a = 0;
    let b = 0;
    for (let i = 0; i < reach.skus.length; i++) {
      const v = reach.skus[i];
      F64[0] = reach.x[i];
      F64[1] = reach.d[i];
      F64[2] = reach.onset[i];
      F64[3] = projection.dailyRevenue[v];
      let h = ha[v];
      let g = hb[v];
      for (let k = 0; k < 8; k++) {
        h = Math.imul(h ^ U32[k], 0x01000193);
        g = Math.imul(g ^ U32[k], 0x5bd1e995);
        g ^= g >>> 15;
      }
      a = (a + fmix(h)) | 0;
      b = (b + fmix(g)) | 0;
    }
    return `${FORMAT}:${reach.skus.length}:${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
  }

  private idHashes(): [Uint32Array, Uint32Array] {
    if (this.idHash) return this.idHash;
    const projection = this.projection!;
    const ha = new Uint32Array(projection.nodeCount);
    const hb = new Uint32Array(projection.nodeCount);
    for (const v of projection.skuNodes) {
      const id = projection.nodeIds[v];
      let h = 0x811c9dc5;
      let g = 0x27d4eb2f;
      for (let i = 0; i < id.length; i++) {
        h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
        g = Math.imul(g ^ id.charCodeAt(i), 0x5bd1e995);
        g ^= g >>> 13;
      }
      ha[v] = h;
      hb[v] = g;
    }
    return (this.idHash = [ha, hb]);
  }

  /** The record to store: every SKU of the reach, in columns. */
  private record(eventId: string, kept: Kept): EventAttributionRecord {
    const projection = this.projection!;
    const reach = kept.reach!;
    const n = reach.skus.length;
    const record: EventAttributionRecord = {
      eventId,
      inputKey: kept.inputKey,
      contentKey: kept.contentKey,
      skuIds: new Array<string>(n),
      x: new Array<number>(n),
      days: new Array<number>(n),
      onsetDays: new Array<number>(n),
      revenueAtRisk: new Array<number>(n),
    };
    for (let i = 0; i < n; i++) {
      const v = reach.skus[i];
      record.skuIds[i] = projection.nodeIds[v];
      record.x[i] = reach.x[i];
      record.days[i] = reach.d[i];
      record.onsetDays[i] = finite(reach.onset[i]);
      record.revenueAtRisk[i] = projection.dailyRevenue[v] * reach.x[i] * reach.d[i];
    }
    return record;
  }
}

const F64 = new Float64Array(4);
const U32 = new Uint32Array(F64.buffer);

/** Murmur3's finaliser: every input bit moves every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Disrupted nodes always have a finite onset; JSON and Neo4j lists hold no Infinity, so an impossible one is stored as -1. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : -1;
}
