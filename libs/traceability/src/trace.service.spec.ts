import { placeLots } from './trace.service';
import type { ReachedLot, TraceLink } from './trace.repository';

/** A WENT_INTO edge: `from` went into `to` by the transformation `eventHash` at `t`. */
type Edge = { from: string; to: string; eventHash: string; t: number };

/**
 * The oracle: the level-by-level walk the service did before it read the trace in one statement —
 * each level's steps sorted by event time then hash, each lot taken by its first step, cut at
 * `depth` or `maxLots` with anything left beyond.
 */
function naiveWalk(edges: readonly Edge[], start: string, depth: number, maxLots: number) {
  const reached = new Map<string, { depth: number; via: string; eventHash: string }>();
  const seen = new Set([start]);
  let frontier = [start];
  let truncated = false;
  for (let level = 1; frontier.length > 0; level++) {
    const steps = edges
      .filter((e) => frontier.includes(e.to))
      .sort((a, b) => a.t - b.t || (a.eventHash < b.eventHash ? -1 : a.eventHash > b.eventHash ? 1 : 0) || (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    const next: string[] = [];
    for (const step of steps) {
      if (seen.has(step.from)) continue;
      if (level > depth || reached.size >= maxLots) {
        truncated = true;
        break;
      }
      seen.add(step.from);
      reached.set(step.from, { depth: level, via: step.to, eventHash: step.eventHash });
      next.push(step.from);
    }
    if (truncated) break;
    frontier = next;
  }
  return { reached, truncated };
}

/** What the trace statement reads (backward): every lot within `depth` edges, with its edges on both sides. */
function readWithin(edges: readonly Edge[], start: string, depth: number): ReachedLot[] {
  const within = new Set<string>();
  let frontier = new Set([start]);
  for (let d = 1; d <= depth; d++) {
    const next = new Set<string>();
    for (const e of edges) if (frontier.has(e.to) && !within.has(e.from)) next.add(e.from);
    for (const id of next) within.add(id);
    frontier = next;
  }
  within.delete(start);
  return [...within].map((lotId) => ({
    lotId,
    kind: 'lgtin',
    gtin: null,
    lot: null,
    serial: null,
    near: edges.filter((e) => e.from === lotId).map((e): TraceLink => ({ lotId: e.to, eventHash: e.eventHash, eventTimeMs: e.t })),
    far: edges.filter((e) => e.to === lotId).map((e) => e.from),
  }));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random lot graph: layered flows with blends, shortcuts across levels, shared events and some cycles. */
function randomEdges(seed: number): Edge[] {
  const rnd = rng(seed);
  const lots = 6 + Math.floor(rnd() * 40);
  const edges: Edge[] = [];
  const count = Math.floor(rnd() * lots * 2.5);
  for (let i = 0; i < count; i++) {
    const from = Math.floor(rnd() * lots);
    const to = Math.floor(rnd() * lots);
    if (from === to) continue;
    // Few distinct times and events, so ties on time and on hash happen.
    edges.push({ from: `L${from}`, to: `L${to}`, eventHash: `h${Math.floor(rnd() * 8)}`, t: Math.floor(rnd() * 5) });
  }
  return edges;
}

const asRows = (r: ReturnType<typeof naiveWalk>) => [...r.reached].map(([lotId, v]) => ({ lotId, ...v }));

describe('placeLots: a trace placed from the lots within reach', () => {
  it('places each lot once, at its smallest depth, by its earliest linking event (hand-made case)', () => {
    // P ← A (t 5, h-b) and P ← B (t 3); A ← C at t 1; C ← A (cycle); B ← C at t 9; X ← C is beyond depth 2.
    const edges: Edge[] = [
      { from: 'A', to: 'P', eventHash: 'h-b', t: 5 },
      { from: 'B', to: 'P', eventHash: 'h-a', t: 3 },
      { from: 'C', to: 'A', eventHash: 'h-c', t: 1 },
      { from: 'C', to: 'B', eventHash: 'h-d', t: 9 },
      { from: 'A', to: 'C', eventHash: 'h-e', t: 2 },
      { from: 'P', to: 'C', eventHash: 'h-f', t: 2 },
      { from: 'X', to: 'C', eventHash: 'h-g', t: 4 },
    ];
    const placed = placeLots('P', readWithin(edges, 'P', 2), 2, 100);
    expect(placed.lots.map((p) => [p.lot.lotId, p.depth, p.link.lotId, p.link.eventHash])).toEqual([
      ['B', 1, 'P', 'h-a'],
      ['A', 1, 'P', 'h-b'],
      ['C', 2, 'A', 'h-c'],
    ]);
    expect(placed.truncated).toBe(true);
    expect(placeLots('P', readWithin(edges, 'P', 3), 3, 100)).toMatchObject({ truncated: false });
    expect(placeLots('P', readWithin(edges, 'P', 3), 3, 3)).toMatchObject({ truncated: true });
    expect(placeLots('P', readWithin(edges, 'P', 3), 3, 4)).toMatchObject({ truncated: false });
  });

  it('agrees with the level-by-level walk on random lot graphs (depths, links, order, truncation)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const edges = randomEdges(seed);
      const rnd = rng(seed * 31);
      const depth = 1 + Math.floor(rnd() * 5);
      const maxLots = 1 + Math.floor(rnd() * 30);
      const start = edges.length > 0 ? edges[Math.floor(rnd() * edges.length)].to : 'L0';
      const expected = naiveWalk(edges, start, depth, maxLots);
      const got = placeLots(start, readWithin(edges, start, depth), depth, maxLots);
      const rows = got.lots.map((p) => ({ lotId: p.lot.lotId, depth: p.depth, via: p.link.lotId, eventHash: p.link.eventHash }));
      expect({ seed, rows, truncated: got.truncated }).toEqual({ seed, rows: asRows(expected), truncated: expected.truncated });
    }
  });

  it('reaches nothing from a lot nothing went into', () => {
    expect(placeLots('P', [], 10, 100)).toEqual({ lots: [], truncated: false });
  });
});
