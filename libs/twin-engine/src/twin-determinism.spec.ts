import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import {
  combineTwin,
  mergePartials,
  openSampleRange,
  runSamples,
  runTwin,
  splitRange,
  summarizeTwin,
  TwinEngineErrorCode,
  type TwinPartial,
  type TwinRequest,
} from './index';

// Same request and seed → the same result, bit for bit, however the samples
// are split (worker threads, progress slices) and in whatever order the
// partials come back.

// One acyclic network and one with a loop downstream of the hits (the twin clears the solver between samples there).
const acyclic = tinyGraph({
  sites: ['A', 'B', 'C', 'M', 'N'],
  skus: [
    { id: 'K1', dailyRevenue: 1200 },
    { id: 'K2', dailyRevenue: 300 },
  ],
  edges: [
    ['A', 'M', 'P', 0.6, 2, 1],
    ['B', 'M', 'P', 0.4, 0, 3],
    ['C', 'N', 'Q', 1, 1, 0],
    ['M', 'K1', 'K1', 1, 3, 2],
    ['N', 'K1', 'K1b', 0.5, 0, 5],
    ['N', 'K2', 'K2', 1, 0, 1],
  ],
});
const looped = tinyGraph({
  sites: ['A', 'B', 'L1', 'L2'],
  skus: [{ id: 'K', dailyRevenue: 500 }],
  edges: [
    ['A', 'L1', 'P', 0.5],
    ['L2', 'L1', 'P', 0.4],
    ['L1', 'L2', 'Q', 0.9, 1],
    ['B', 'L2', 'R', 1],
    ['L1', 'K', 'K', 1, 0, 2],
  ],
});

function request(projection: TwinRequest['projection'], sites: string[]): TwinRequest {
  return {
    projection,
    events: [
      {
        id: 'EV-quake',
        type: 'earthquake',
        hits: [
          { site: sites[0], x: 0.7, days: 12 },
          { site: sites[1], x: 0.4, days: 6 },
        ],
      },
      { id: 'EV-storm', type: 'storm', probability: 0.5, hits: [{ site: sites[1], x: 0.5, days: 8 }] },
      { id: 'EV-survey', type: 'strike', hits: [{ site: sites[0], x: 0.3, days: 3, source: 'survey' }] },
    ],
    scenarios: [{ id: 'SC-down', sites: [sites[sites.length - 1]], probability: 0.2 }],
    drawParameters: { earthquake: { sigma: 0.8, kappa: 5 } },
    samples: 1000,
    seed: 424242,
  };
}

/** Everything but the contribution solves' work counter, which depends on what the Propagator held before (TwinPartial.evaluations). */
const outcome = ({ evaluations: _work, ...rest }: TwinPartial) => rest;

describe.each([
  ['acyclic', request(acyclic, ['A', 'B', 'C'])],
  ['with a loop', request(looped, ['A', 'B', 'L2'])],
])('determinism (%s)', (_, req) => {
  const whole = runTwin(req);

  it('the same seed gives the identical result; another seed does not', () => {
    expect(runTwin(req)).toEqual(whole);
    expect(runTwin({ ...req, seed: 424243 })).not.toEqual(whole);
    expect(whole.seed).toBe(424242);
    expect(whole.skus.length).toBeGreaterThan(0);
    expect(whole.drivers.every((d) => d.contribution !== null)).toBe(true);
  });

  it('[0, 500) + [500, 1000) merged equals one run of [0, 1000), in either order', () => {
    const a = runSamples(req, 0, 500);
    const b = runSamples(req, 500, 1000);
    expect(summarizeTwin(req, mergePartials([a, b]))).toEqual(whole);
    expect(combineTwin(req, [b, a])).toEqual(whole);
  });

  it('any split into slices merges to the same result', () => {
    const parts = splitRange(1000, 7).map(([from, to]) => runSamples(req, from, to));
    expect(combineTwin(req, parts.reverse())).toEqual(whole);
    const uneven = [runSamples(req, 0, 1), runSamples(req, 1, 999), runSamples(req, 999, 1000)];
    expect(combineTwin(req, uneven)).toEqual(whole);
  });

  it('a range run in steps equals the range run at once, even with another range of the request run in between', () => {
    const stepped = openSampleRange(req, 100, 400);
    const other = openSampleRange(req, 0, 100);
    for (const step of [1, 8, 50]) stepped.run(step);
    other.run(100);
    stepped.run(1000); // stops at the range's end
    expect(stepped.remaining).toBe(0);
    expect(outcome(stepped.finish())).toEqual(outcome(runSamples(req, 100, 400)));
    expect(combineTwin(req, [other.finish(), runSamples(req, 100, 1000)])).toEqual(whole);
  });

  it('a range is finished only once all its samples ran', () => {
    const range = openSampleRange(req, 0, 10);
    range.run(9);
    expect(() => range.finish()).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.InvalidRange }));
    expect(() => openSampleRange(req, 10, 10)).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.InvalidRange }));
  });

  it('the order of the request’s lists does not matter (drivers are taken by id)', () => {
    const shuffled = { ...req, events: [...req.events].reverse(), scenarios: [...(req.scenarios ?? [])].reverse() };
    expect(runTwin(shuffled)).toEqual(whole);
  });

  it('contributions on a subset of samples leave the distributions unchanged', () => {
    const subset = runTwin({ ...req, contributionSamples: 100 });
    expect(subset.skus).toEqual(whole.skus);
    expect(subset.total).toEqual(whole.total);
    expect(subset.contributionSamples).toBe(100);
    const none = runTwin({ ...req, contributionSamples: 0 });
    expect(none.skus).toEqual(whole.skus);
    expect(none.drivers.every((d) => d.contribution === null)).toBe(true);
  });
});

describe('a sample does not depend on the samples before it', () => {
  // A loop fed by one drawn event: whenever a sample's draw only raises the site, the live solver
  // climbs from the previous sample's state, and a loop's last bits depend on where the climb starts.
  const loop = tinyGraph({
    sites: ['A', 'L1', 'L2'],
    skus: ['K'],
    edges: [
      ['A', 'L1', 'P', 0.5],
      ['L2', 'L1', 'P', 0.5],
      ['L1', 'L2', 'Q', 0.95],
      ['L1', 'K', 'K', 1],
    ],
  });
  const req: TwinRequest = { projection: loop, events: [{ id: 'E', type: 't', hits: [{ site: 'A', x: 0.4, days: 9 }] }], samples: 60, seed: 11 };

  it.each([
    ['a loop', req],
    ['an acyclic network, where the live solver takes each sample as a diff', { ...request(acyclic, ['A', 'B', 'C']), samples: 60 }],
  ])('on %s, each sample run alone gives the same bits as within the whole run, contributions included', (_, r) => {
    const whole = runSamples(r, 0, 60);
    const drivers = whole.driverIds.length;
    for (let k = 0; k < 60; k++) {
      const alone = runSamples(r, k, k + 1);
      expect(alone.totals[0]).toBe(whole.totals[k]);
      for (let d = 0; d < drivers; d++) expect(alone.drops![d]).toBe(whole.drops![d * 60 + k]);
    }
  });
});

describe('splitting and merging', () => {
  const req = request(acyclic, ['A', 'B', 'C']);

  it('splitRange cuts [0, n) into contiguous near-equal ranges', () => {
    expect(splitRange(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(splitRange(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(() => splitRange(0, 2)).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.InvalidRange }));
  });

  it('refuses gaps, overlaps, foreign partials and partial coverage', () => {
    const a = runSamples(req, 0, 400);
    const c = runSamples(req, 500, 1000);
    expect(() => mergePartials([a, c])).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.IncompletePartials }));
    expect(() => mergePartials([a, runSamples(req, 300, 1000)])).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.IncompletePartials }));
    expect(() => mergePartials([])).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.IncompletePartials }));
    const other = runSamples({ ...req, events: req.events.slice(1) }, 400, 1000);
    expect(() => mergePartials([a, other])).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.IncompletePartials }));
    expect(() => summarizeTwin(req, a)).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.IncompletePartials }));
    expect(() => runSamples(req, 5, 5)).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.InvalidRange }));
    expect(() => runSamples(req, 0, 1001)).toThrow(expect.objectContaining({ code: TwinEngineErrorCode.InvalidRange }));
  });

  it('a partial survives a structured clone (what a worker thread posts back)', () => {
    const parts = splitRange(1000, 2).map(([from, to]) => structuredClone(runSamples(req, from, to)));
    expect(combineTwin(req, parts)).toEqual(runTwin(req));
  });
});
