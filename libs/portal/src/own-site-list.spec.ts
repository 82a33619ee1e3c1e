import { listedSiteErrors, type ListedSite } from './own-site-list.service';

const site = (row: number, over: Partial<ListedSite> = {}): ListedSite => ({
  row,
  plannedId: `SITE-OB-${row}`,
  name: `Plant ${row}`,
  lat: 48.78,
  lon: 9.18,
  country: 'DE',
  placement: { precision: 'city', radiusKm: 14, toConfirm: false },
  ...over,
});

describe('listedSiteErrors: what keeps a supplier list from being written', () => {
  it('passes rows the site rules accept, whatever their placement', () => {
    expect(listedSiteErrors([site(2), site(3, { placement: null }), site(4, { placement: { precision: 'country', radiusKm: 324, toConfirm: true } })])).toEqual(
      [],
    );
  });

  it('names the row of every field the site rules refuse', () => {
    expect(listedSiteErrors([site(2), site(3, { lat: 91 }), site(4, { country: 'XX', name: '' })])).toEqual([
      { field: 'lat', message: 'row 3: lat must be at most 90' },
      expect.objectContaining({ field: 'name', message: expect.stringMatching(/^row 4: name /) }),
      expect.objectContaining({ field: 'country', message: expect.stringMatching(/^row 4: country /) }),
    ]);
  });

  it('refuses two rows that would be one site, naming both', () => {
    expect(listedSiteErrors([site(2), site(5, { plannedId: 'SITE-OB-2' })])).toEqual([
      { field: 'row', message: 'row 5: the same site as row 2 (name, address and country): reject one of them' },
    ]);
  });
});
