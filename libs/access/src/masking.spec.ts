import { maskNames, namedIds } from './masking';

describe('masking names', () => {
  const body = {
    items: [
      { id: 'SUP-1', name: 'Open Co', country: 'DE' },
      { id: 'SUP-2', name: 'Hidden GmbH', country: 'DE', visibility: 'masked' },
      { id: 'S-2', supplierId: 'SUP-2', name: 'Hidden plant', lat: 1, lon: 2 },
    ],
    survey: { supplier: { id: 'SUP-2', name: 'Hidden GmbH' }, supplierId: 'SUP-2', supplierName: 'Hidden GmbH' },
    nodeId: 'S-2',
  };

  it('finds every id that stands beside a name', () => {
    expect(namedIds(body).sort()).toEqual(['S-2', 'SUP-1', 'SUP-2']);
    expect(namedIds({ exposures: [{ skuId: 'K', x: 1 }] })).toEqual([]);
  });

  it('blanks the names of masked ids only, and leaves the input untouched', () => {
    const out = maskNames(body, new Set(['SUP-2', 'S-2']));
    expect(JSON.stringify(out)).not.toContain('Hidden');
    expect(out.items[0]).toEqual({ id: 'SUP-1', name: 'Open Co', country: 'DE' });
    expect(out.items[1]).toEqual({ id: 'SUP-2', name: null, masked: true, country: 'DE', visibility: 'masked' });
    expect(out.items[2]).toMatchObject({ id: 'S-2', name: null, lat: 1, lon: 2 });
    expect(out.survey).toEqual({ supplier: { id: 'SUP-2', name: null, masked: true }, supplierId: 'SUP-2', supplierName: null });
    expect(body.items[1].name).toBe('Hidden GmbH');
    expect(maskNames(body, new Set())).toBe(body);
  });
});
