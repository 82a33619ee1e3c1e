// Test helper: a seeded layered supply network and a twin request over it. Not exported from the library.
import { ProjectionBuilder, type Projection } from '@tiersight/risk-engine';
import type { TwinRequest } from '@tiersight/twin-engine';

/**
 * `tiers` layers of `width` sites; each site of a tier ships one part to two
 * sites of the next tier (0.5 each, so every receiver is double-sourced),
 * and the last tier ships `skus` SKUs. Seeded buffers and lead times.
 */
export function layeredNetwork(tiers: number, width: number, skus: number, seed = 7): Projection {
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const b = new ProjectionBuilder();
  const site = (t: number, i: number) => `S${t}-${i}`;
  for (let t = 0; t < tiers; t++) {
    for (let i = 0; i < width; i++) {
      b.addSupplier(`SUP-${t}-${i}`);
      b.addSite({ id: site(t, i), supplierId: `SUP-${t}-${i}`, country: 'DE', ttrDays: 10 + Math.floor(rnd() * 30) });
    }
  }
  for (let k = 0; k < skus; k++) b.addSku({ id: `K${k}`, dailyRevenue: 100 + Math.floor(rnd() * 10_000) });
  for (let t = 0; t + 1 < tiers; t++) {
    for (let i = 0; i < width; i++) {
      for (const j of [i, (i + 1) % width]) {
        b.addEdge({
          from: site(t, j),
          to: site(t + 1, i),
          partId: `P${t}`,
          share: 0.5,
          bufferDays: Math.floor(rnd() * 4),
          leadTimeDays: Math.floor(rnd() * 3),
        });
      }
    }
  }
  for (let k = 0; k < skus; k++) {
    b.addEdge({ from: site(tiers - 1, k % width), to: `K${k}`, partId: `K${k}`, share: 1, bufferDays: 1, leadTimeDays: 1 });
  }
  return b.build();
}

/** Three events on the first tier (two overlapping) and a site down on the second, with draws switched on. */
export function layeredRequest(projection: Projection, samples: number, width: number, seed = 42): TwinRequest {
  const hits = (from: number, to: number, x: number, days: number) => Array.from({ length: to - from }, (_, i) => ({ site: `S0-${from + i}`, x, days }));
  return {
    projection,
    events: [
      { id: 'EV-quake', type: 'earthquake', hits: hits(0, Math.floor(width / 3), 0.8, 30) },
      { id: 'EV-flood', type: 'flood', hits: hits(Math.floor(width / 4), Math.floor(width / 2), 0.5, 12) },
      { id: 'EV-strike', type: 'strike', probability: 0.5, hits: hits(Math.floor(width / 2), width, 0.3, 6) },
    ],
    scenarios: [{ id: 'WHAT-IF', sites: ['S1-3', 'S1-4'] }],
    drawParameters: { earthquake: { sigma: 0.6, kappa: 10 } },
    samples,
    seed,
    horizonDays: 60,
    contributionSamples: Math.min(samples, 100),
  };
}
