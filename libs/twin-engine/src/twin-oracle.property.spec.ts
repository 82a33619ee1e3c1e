import fc from 'fast-check';
import { exposedSkus, propagate, type ExposedSku, type ImpactInput } from '@tiersight/risk-engine';
import { caseArb } from '../../risk-engine/src/testing/random-graphs';
import { mergePartials, runSamples, TwinDraws, type TwinRequest } from './index';

// With draws switched on, every sample must still be the engine's answer on
// that sample's drawn impacts. The oracle redraws each sample and runs a
// full propagate() on it, so the twin's shared solver state, its diffs from
// one sample to the next, the clearing in front of loops and the chained
// leave-one-out updates are all checked against independent full runs.

const requestArb = caseArb.chain((c) =>
  fc
    .record({
      events: fc.array(
        fc.record({
          hits: fc.array(
            fc.record({
              site: fc.nat({ max: c.sites - 1 }),
              x: fc.constantFrom(0, 0.1, 0.3, 0.5, 0.8, 1),
              days: fc.constantFrom(0, 1, 2, 4, 10),
              source: fc.constantFrom('estimate' as const, 'estimate' as const, 'survey' as const),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          probability: fc.constantFrom(1, 0.7, 0.3),
          sigma: fc.constantFrom(0, 0.3, 1),
          kappa: fc.constantFrom(0, 2, 20),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      scenario: fc.option(
        fc.record({ sites: fc.uniqueArray(fc.nat({ max: c.sites - 1 }), { minLength: 1, maxLength: 2 }), probability: fc.constantFrom(1, 0.5) }),
      ),
      threshold: fc.constantFrom(0, 0.05, 0.2),
      samples: fc.integer({ min: 2, max: 8 }),
      seed: fc.nat(),
      kernel: fc.constantFrom('auto' as const, 'cone' as const, 'sweep' as const),
    })
    .chain((r) => fc.tuple(fc.constant(r), fc.integer({ min: 0, max: r.samples }), fc.integer({ min: 1, max: r.samples - 1 })))
    .map(([r, contributionSamples, cut]): [TwinRequest, number] => [
      {
        projection: c.projection,
        events: r.events.map((e, i) => ({ id: `EV-${i}`, type: `T${i}`, probability: e.probability, hits: e.hits.map((h) => ({ ...h, site: `S${h.site}` })) })),
        scenarios: r.scenario ? [{ id: 'SC', sites: r.scenario.sites.map((s) => `S${s}`), probability: r.scenario.probability }] : [],
        drawParameters: Object.fromEntries(r.events.map((e, i) => [`T${i}`, { sigma: e.sigma, kappa: e.kappa }])),
        samples: r.samples,
        seed: r.seed,
        exposureThreshold: r.threshold,
        contributionSamples,
        kernel: r.kernel,
      },
      cut,
    ]),
);

/** The drawn impacts of sample i, per driver id (present drivers only). */
function drawnImpacts(request: TwinRequest, i: number): Map<string, ImpactInput[]> {
  const out = new Map<string, ImpactInput[]>();
  for (const impact of new TwinDraws(request).impactsOf(i)) out.set(impact.eventId!, [...(out.get(impact.eventId!) ?? []), impact]);
  return out;
}

const totalOf = (list: ExposedSku[]) => list.reduce((sum, e) => sum + e.revenueAtRisk, 0);

describe('twin samples against full propagations of the same draws', () => {
  it('every sample, split anywhere, by either kernel, equals propagate() on its draws; drops equal leave-one-out propagations', () => {
    fc.assert(
      fc.property(requestArb, ([request, cut]) => {
        const threshold = request.exposureThreshold!;
        const partial = mergePartials([runSamples(request, cut, request.samples), runSamples(request, 0, cut)]);
        const perSku = new Map<number, ExposedSku[]>();
        const driverIds = partial.driverIds;
        for (let i = 0; i < request.samples; i++) {
          const drawn = drawnImpacts(request, i);
          const run = (leaveOut?: string) =>
            exposedSkus(
              propagate(
                request.projection,
                [...drawn].filter(([id]) => id !== leaveOut).flatMap(([, list]) => list),
              ),
              threshold,
            );
          const all = run();
          for (const e of all) perSku.set(e.sku, [...(perSku.get(e.sku) ?? []), e]);
          expect(Math.abs(partial.totals[i] - totalOf(all))).toBeLessThanOrEqual(1e-9 * Math.max(1, totalOf(all)));
          if (i >= request.contributionSamples!) continue;
          // history independence: the sample alone gives the same bits
          const alone = runSamples(request, i, i + 1).drops!;
          driverIds.forEach((_, k) => expect(alone[k]).toBe(partial.drops![k * request.samples + i]));
          driverIds.forEach((id, k) => {
            const rest = drawn.has(id) ? run(id) : all;
            // a SKU within float noise of the threshold may flip between the two solvers' summation orders
            if ([...all, ...rest].some((e) => Math.abs(e.x - threshold) < 1e-9)) return;
            const expected = totalOf(all) - totalOf(rest);
            expect(Math.abs(partial.drops![k * request.samples + i] - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, totalOf(all)));
          });
        }
        // per SKU, the exposed samples in sample order, bit for bit
        expect(partial.skus.map((s) => s.sku)).toEqual([...perSku.keys()].sort((a, b) => a - b));
        for (const s of partial.skus) {
          const expected = perSku.get(s.sku)!;
          expect(Array.from(s.x)).toEqual(expected.map((e) => e.x));
          expect(Array.from(s.days)).toEqual(expected.map((e) => e.days));
          expect(Array.from(s.onset)).toEqual(expected.map((e) => e.onsetDays));
        }
        if (request.contributionSamples === 0) expect(partial.drops).toBeNull();
      }),
      { numRuns: 250 },
    );
  });
});
