import { computeTiers, tierOrNull } from './index';
import { tinyGraph } from './testing/tiny-graph';

describe('computeTiers (DESIGN §2)', () => {
  const g = tinyGraph({
    sites: [
      { id: 'M', supplierId: 'SUP-A' },
      { id: 'T', supplierId: 'SUP-B' },
      { id: 'U', supplierId: 'SUP-B' },
      { id: 'DEEP', supplierId: 'SUP-C' },
      { id: 'LOOSE', supplierId: 'SUP-D' },
      { id: 'FEEDS-LOOSE', supplierId: 'SUP-D' },
    ],
    skus: ['K'],
    edges: [
      ['M', 'K', 'K', 1],
      ['T', 'M', 'P', 1],
      ['M', 'T', 'Q', 1], // a loop does not lower anyone's tier
      ['U', 'T', 'P', 0.5],
      ['U', 'K', 'X', 1], // U also supplies the SKU directly: the smaller tier wins
      ['DEEP', 'T', 'P', 0.5],
      ['FEEDS-LOOSE', 'LOOSE', 'P', 1], // supplies nothing that reaches a SKU
    ],
  });
  const tiers = computeTiers(g);
  const tierOf = (id: string) => tierOrNull(tiers.node, g.indexOf(id));

  it('is 0 for SKUs and 1 + the smallest tier among the supplied nodes for sites', () => {
    expect(['K', 'M', 'T', 'U', 'DEEP'].map(tierOf)).toEqual([0, 1, 2, 1, 3]);
  });

  it('is null for sites that reach no SKU', () => {
    expect(tierOf('LOOSE')).toBeNull();
    expect(tierOf('FEEDS-LOOSE')).toBeNull();
  });

  it('gives a supplier the smallest tier of its sites', () => {
    const bySupplier = (id: string) => tierOrNull(tiers.supplier, g.supplierIndexOf(id));
    expect(['SUP-A', 'SUP-B', 'SUP-C', 'SUP-D'].map(bySupplier)).toEqual([1, 1, 3, null]);
  });
});
