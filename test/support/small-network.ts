import type { ImportPayload } from '@tiersight/contracts';

/**
 * A hand-made network, ids prefixed per test run:
 *
 *   T3 ──P-core──► T2a ──P-mod──► M1 ──SKU-A──► SKU-A
 *                  T2b ──P-mod──► M1
 *                  T2b ──SKU-B──────────────► SKU-B     (T2b supplies at two tiers: tier 1 wins)
 *   C1 ◄──P-loop──► C2 ──P-mod──► M1                   (a cycle C1 ⇄ C2)
 *
 * Tiers: SKUs 0; M1 1; T2a 2; T2b 1 (it also ships SKU-B directly); C2 2; C1 3; T3 3.
 */
export function smallNetwork(p: string): ImportPayload {
  const site = (id: string, supplierId: string, lat: number, lon: number, country: string) => ({
    id: p + id,
    supplierId: p + supplierId,
    name: `${id} works`,
    kind: 'plant' as const,
    lat,
    lon,
    country,
  });
  return {
    suppliers: [
      { id: p + 'SUP-M', name: 'Assembler', country: 'MX' },
      { id: p + 'SUP-T2', name: 'Castings Ltd', country: 'TW' },
      { id: p + 'SUP-T3', name: 'Ore Co', country: 'CL' },
      { id: p + 'SUP-C', name: 'Loop Partners', country: 'DE', ownerSupplierId: p + 'SUP-T2', visibility: 'masked' },
    ],
    sites: [
      site('M1', 'SUP-M', 25.67, -100.31, 'MX'),
      site('T2a', 'SUP-T2', 24.15, 120.67, 'TW'),
      site('T2b', 'SUP-T2', 22.63, 120.3, 'TW'),
      site('T3', 'SUP-T3', -23.65, -70.4, 'CL'),
      site('C1', 'SUP-C', 48.14, 11.58, 'DE'),
      site('C2', 'SUP-C', 52.52, 13.4, 'DE'),
    ],
    parts: [
      { id: p + 'P-mod', name: 'Module' },
      { id: p + 'P-core', name: 'Core' },
      { id: p + 'P-loop', name: 'Loop part' },
    ],
    skus: [
      { id: p + 'SKU-A', name: 'Speaker A', dailyRevenue: 10000, category: 'audio' },
      { id: p + 'SKU-B', name: 'Speaker B', dailyRevenue: 5000, category: 'audio' },
    ],
    supplies: [
      { fromSiteId: p + 'M1', toSkuId: p + 'SKU-A', partId: p + 'SKU-A', share: 1, bufferDays: 2, leadTimeDays: 1 },
      { fromSiteId: p + 'T2a', toSiteId: p + 'M1', partId: p + 'P-mod', share: 0.5, bufferDays: 4, leadTimeDays: 0 },
      { fromSiteId: p + 'T2b', toSiteId: p + 'M1', partId: p + 'P-mod', share: 0.3, bufferDays: 0, leadTimeDays: 3 },
      { fromSiteId: p + 'C2', toSiteId: p + 'M1', partId: p + 'P-mod', share: 0.2, bufferDays: 1, leadTimeDays: 2, source: 'inferred' },
      { fromSiteId: p + 'T2b', toSkuId: p + 'SKU-B', partId: p + 'SKU-B', share: 1, bufferDays: 5, leadTimeDays: 2 },
      { fromSiteId: p + 'T3', toSiteId: p + 'T2a', partId: p + 'P-core', share: 1, bufferDays: 10, leadTimeDays: 20, confirmedAt: '2025-01-15T00:00:00Z' },
      { fromSiteId: p + 'C1', toSiteId: p + 'C2', partId: p + 'P-loop', share: 1, bufferDays: 3, leadTimeDays: 1, source: 'supplier' },
      { fromSiteId: p + 'C2', toSiteId: p + 'C1', partId: p + 'P-loop', share: 0.5, bufferDays: 3, leadTimeDays: 1, source: 'supplier' },
    ],
  };
}

/** A polygon over Kaohsiung: of the network's sites it holds T2b alone. */
export const KAOHSIUNG_AREA = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [120, 22.4],
      [120.6, 22.4],
      [120.6, 22.9],
      [120, 22.9],
      [120, 22.4],
    ],
  ],
};

/** An earthquake over T3 (severity 1, 40 days), as POST /v1/events takes it: the event the hand-computed exposures start from. */
export const quakeAtT3 = (p: string) => ({
  id: `${p}EV-quake`,
  type: 'earthquake',
  title: 'M7.1 near Antofagasta',
  severity: 1,
  expectedDurationDays: 40,
  geometry: { type: 'Point', coordinates: [-70.4, -23.65] },
  radiusKm: 50,
});
