import fc from 'fast-check';
import { RiskEngineErrorCode } from './errors';
import { ProjectionBuilder, RiskEngineError } from './index';
import { condense } from './scc';
import { caseArb } from './testing/random-graphs';
import { reachableFrom } from './testing/reach';
import { tinyGraph } from './testing/tiny-graph';

function builderWith(): ProjectionBuilder {
  const b = new ProjectionBuilder();
  b.addSupplier('SUP');
  b.addSite({ id: 'S', supplierId: 'SUP', country: 'DE', ttrDays: 3 });
  b.addSite({ id: 'M', supplierId: 'SUP', country: 'DE', ttrDays: 3 });
  b.addSku({ id: 'K', dailyRevenue: 1 });
  return b;
}
const edge = { from: 'S', to: 'M', partId: 'P', share: 1, bufferDays: 0, leadTimeDays: 0 };

function codeOf(fn: () => unknown): RiskEngineErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RiskEngineError) return e.code;
    throw e;
  }
  return undefined;
}

describe('ProjectionBuilder', () => {
  it.each([
    ['a duplicate id', (b: ProjectionBuilder) => b.addSku({ id: 'S', dailyRevenue: 1 }), RiskEngineErrorCode.DuplicateId],
    [
      'an unknown supplier',
      (b: ProjectionBuilder) => b.addSite({ id: 'X', supplierId: 'NOPE', country: 'DE', ttrDays: 1 }),
      RiskEngineErrorCode.UnknownSupplier,
    ],
    ['an unknown sender', (b: ProjectionBuilder) => b.addEdge({ ...edge, from: 'NOPE' }), RiskEngineErrorCode.UnknownNode],
    ['an unknown receiver', (b: ProjectionBuilder) => b.addEdge({ ...edge, to: 'NOPE' }), RiskEngineErrorCode.UnknownNode],
    ['a SKU as sender', (b: ProjectionBuilder) => b.addEdge({ ...edge, from: 'K' }), RiskEngineErrorCode.NotASite],
    ['a zero share', (b: ProjectionBuilder) => b.addEdge({ ...edge, share: 0 }), RiskEngineErrorCode.InvalidValue],
    ['a negative buffer', (b: ProjectionBuilder) => b.addEdge({ ...edge, bufferDays: -1 }), RiskEngineErrorCode.InvalidValue],
    ['a NaN lead time', (b: ProjectionBuilder) => b.addEdge({ ...edge, leadTimeDays: NaN }), RiskEngineErrorCode.InvalidValue],
    ['a bad confirmedAt', (b: ProjectionBuilder) => b.addEdge({ ...edge, confirmedAt: 'yesterday' }), RiskEngineErrorCode.InvalidValue],
    [
      'shares of one input above 1',
      (b: ProjectionBuilder) => {
        b.addEdge({ ...edge, share: 0.6 });
        b.addEdge({ ...edge, share: 0.5 });
        b.build();
      },
      RiskEngineErrorCode.ShareSumExceeded,
    ],
    [
      'a second build',
      (b: ProjectionBuilder) => {
        b.build();
        b.build();
      },
      RiskEngineErrorCode.BuilderConsumed,
    ],
  ])('rejects %s', (_, act, code) => {
    expect(codeOf(() => act(builderWith()))).toBe(code);
  });

  it('stores incoming edges grouped by receiver and part, and outgoing edges by sender', () => {
    const p = tinyGraph({
      sites: ['A', 'B', 'C'],
      skus: ['K'],
      edges: [
        ['A', 'K', 'Q', 0.5],
        ['B', 'C', 'P', 1],
        ['B', 'K', 'P', 1],
        ['C', 'K', 'Q', 0.5],
      ],
    });
    const k = p.indexOf('K');
    const into = (v: number) =>
      Array.from({ length: p.inStart[v + 1] - p.inStart[v] }, (_, i) => {
        const e = p.inStart[v] + i;
        return `${p.nodeIds[p.edgeFrom[e]]}:${p.partIds[p.edgePart[e]]}`;
      });
    // parts in interning order (Q first seen); within a part, upstream index order (the order a fresh run settles them)
    const [first, second] = p.indexOf('A') < p.indexOf('C') ? ['A', 'C'] : ['C', 'A'];
    expect(into(k)).toEqual([`${first}:Q`, `${second}:Q`, 'B:P']);
    const b = p.indexOf('B');
    const out = Array.from({ length: p.outStart[b + 1] - p.outStart[b] }, (_, i) => p.nodeIds[p.outTo[p.outStart[b] + i]]);
    expect(out.sort()).toEqual(['C', 'K']);
    for (let i = p.outStart[b]; i < p.outStart[b + 1]; i++) expect(p.edgeFrom[p.outEdge[i]]).toBe(b);
  });
});

describe('condense (iterative Tarjan)', () => {
  it('orders components topologically and flags loops, on random graphs', () => {
    fc.assert(
      fc.property(caseArb, ({ projection: p }) => {
        const n = p.nodeCount;
        const reach = Array.from({ length: n }, (_, s) => reachableFrom(p, s));
        for (let u = 0; u < n; u++) {
          for (let k = p.outStart[u]; k < p.outStart[u + 1]; k++) expect(p.compRank[u]).toBeLessThanOrEqual(p.compRank[p.outTo[k]]);
          for (let v = 0; v < n; v++) expect(p.compRank[u] === p.compRank[v]).toBe(reach[u].has(v) && reach[v].has(u));
          const selfLoop = Array.from(p.outTo.subarray(p.outStart[u], p.outStart[u + 1])).includes(u);
          expect(p.compCyclic[p.compRank[u]] === 1).toBe(p.compSize[p.compRank[u]] > 1 || selfLoop);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('handles a 200k-node chain and a 200k-node ring without recursion', () => {
    const n = 200_000;
    const outStart = Int32Array.from({ length: n + 1 }, (_, i) => Math.min(i, n - 1));
    const chain = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const c = condense(n, outStart, chain);
    expect(c.compCount).toBe(n);
    expect(c.compRank[0]).toBe(0);
    expect(c.compRank[n - 1]).toBe(n - 1);
    const ringStart = Int32Array.from({ length: n + 1 }, (_, i) => i);
    const ring = Int32Array.from({ length: n }, (_, i) => (i + 1) % n);
    const r = condense(n, ringStart, ring);
    expect(r.compCount).toBe(1);
    expect(r.compCyclic[0]).toBe(1);
  });
});
