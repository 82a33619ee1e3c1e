import { combineInto, type SiteImpact } from '@tiersight/risk-engine';
import { combineHits } from './combine-hits';

describe('combineHits', () => {
  it("gives the engine's combineInto bits for any hits, order and count (absent hits included)", () => {
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 500; trial++) {
      const count = 1 + Math.floor(rnd() * 40);
      const xs = Float64Array.from({ length: count }, () => (rnd() < 0.2 ? 0 : rnd()));
      const ds = Float64Array.from({ length: count }, () => rnd() * 60);
      const order = Int32Array.from({ length: count }, (_, i) => i).sort(() => rnd() - 0.5);
      const from = Math.floor(rnd() * count);
      const impacts: SiteImpact[] = Array.from(xs, (x, h) => ({ x, days: ds[h] }));
      const expected = { x: -1, d: -1 };
      combineInto(impacts, order, from, count, expected);
      const actual = { x: -1, d: -1 };
      combineHits(xs, ds, order, from, count, actual);
      expect(actual).toEqual(expected);
      expect(Object.is(actual.x, expected.x) && Object.is(actual.d, expected.d)).toBe(true);
    }
  });
});
