import fc from 'fast-check';
import { propagate, SweepRunner } from './index';
import { caseArb, impactArb, withSiteIds } from './testing/random-graphs';

// The whole-graph sweep must give a fresh cone run's bits exactly (the twin relies on it: a sample's
// answer may not depend on which kernel solved it), loops included, run after run on one reused state.
describe('SweepRunner', () => {
  it('equals propagate() bit for bit on random graphs, run after run on one state', () => {
    const runs = caseArb.chain((c) => fc.tuple(fc.constant(c), fc.array(fc.array(impactArb(c.sites), { maxLength: 8 }), { minLength: 1, maxLength: 4 })));
    fc.assert(
      fc.property(runs, ([c, batches]) => {
        const sweeper = new SweepRunner(c.projection);
        for (const impacts of batches) {
          const fresh = propagate(c.projection, withSiteIds(impacts));
          for (const site of c.projection.siteNodes) sweeper.setDirect(site, fresh.directX[site], fresh.directD[site]);
          sweeper.run();
          for (let v = 0; v < c.projection.nodeCount; v++) {
            expect(Object.is(sweeper.state.x[v], fresh.x[v])).toBe(true);
            expect(Object.is(sweeper.state.d[v], fresh.d[v])).toBe(true);
            expect(Object.is(sweeper.state.o[v], fresh.onset[v])).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
