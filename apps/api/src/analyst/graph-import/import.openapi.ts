/** The example shown at /docs (DESIGN §7.1). */
export const IMPORT_EXAMPLE = {
  suppliers: [{ id: 'SUP-1', name: 'Acme Castings', country: 'TW' }],
  sites: [{ id: 'SITE-1', supplierId: 'SUP-1', name: 'Taichung plant', kind: 'plant', lat: 24.15, lon: 120.67, country: 'TW', ttrDays: 30 }],
  parts: [{ id: 'P-1', name: 'Housing' }],
  skus: [{ id: 'SKU-1', name: 'Speaker', dailyRevenue: 12000 }],
  supplies: [{ fromSiteId: 'SITE-1', toSkuId: 'SKU-1', partId: 'SKU-1', share: 1, bufferDays: 2, leadTimeDays: 1 }],
};
