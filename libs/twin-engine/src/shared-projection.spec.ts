import { propagate } from '@tiersight/risk-engine';
import { caseWithImpacts, withSiteIds } from '../../risk-engine/src/testing/random-graphs';
import fc from 'fast-check';
import { projectionFromShared, runTwin, shareProjection, type TwinRequest } from './index';

describe('shared projections (for worker threads)', () => {
  it('rebuild, after a structured clone, a projection on which the engine and the twin give the same answers', () => {
    fc.assert(
      fc.property(caseWithImpacts, ([c, impacts]) => {
        const shared = shareProjection(c.projection);
        expect(shared.edgeFrom.buffer).toBeInstanceOf(SharedArrayBuffer);
        const copy = projectionFromShared(structuredClone(shared));
        const a = propagate(c.projection, withSiteIds(impacts));
        const b = propagate(copy, withSiteIds(impacts));
        expect(Array.from(b.x)).toEqual(Array.from(a.x));
        expect(Array.from(b.onset)).toEqual(Array.from(a.onset));
        expect(copy.indexOf('S0')).toBe(c.projection.indexOf('S0'));
        expect(Array.from(copy.inLoop)).toEqual(Array.from(c.projection.inLoop));
        const request = (projection: TwinRequest['projection']): TwinRequest => ({
          projection,
          events: [{ id: 'E', type: 't', probability: 0.5, hits: impacts.map((i) => ({ site: `S${i.site}`, x: i.x, days: i.days })) }],
          samples: 20,
          seed: 1,
        });
        expect(runTwin(request(copy))).toEqual(runTwin(request(c.projection)));
      }),
      { numRuns: 60 },
    );
  });
});
