import { placementAfterEdit, type PinState } from './pin-edit';

const coarse: PinState = { lat: 16.6283, lon: 106.7388, locationPrecision: 'country', locationRadiusKm: 324, locationToConfirm: true };
const town: PinState = { lat: 48.78232, lon: 9.17702, locationPrecision: 'city', locationRadiusKm: 14, locationToConfirm: false };
const precise: PinState = { lat: 24.15, lon: 120.67, locationPrecision: null, locationRadiusKm: null, locationToConfirm: false };

describe('placementAfterEdit: what moving a pin does to how the site was placed', () => {
  it('clears a pin to confirm when it moves, naming every field that changes', () => {
    expect(placementAfterEdit(coarse, { lat: 21.03, lon: 105.85 })).toEqual({
      locationPrecision: { from: 'country', to: null },
      locationRadiusKm: { from: 324, to: null },
      locationToConfirm: { from: true, to: false },
    });
  });

  it('counts a move of either coordinate alone', () => {
    expect(placementAfterEdit(coarse, { lat: coarse.lat, lon: 106.7 })?.locationToConfirm).toEqual({ from: true, to: false });
    expect(placementAfterEdit(coarse, { lat: 16.7, lon: coarse.lon })?.locationToConfirm).toEqual({ from: true, to: false });
  });

  it('drops the gazetteer precision of a town pin the supplier moves (it was not waiting for a confirmation)', () => {
    expect(placementAfterEdit(town, { lat: 48.8, lon: 9.16 })).toEqual({
      locationPrecision: { from: 'city', to: null },
      locationRadiusKm: { from: 14, to: null },
    });
  });

  it('leaves the placement when the pin stays where it was, even when the edit repeats the coordinates', () => {
    expect(placementAfterEdit(coarse, { lat: coarse.lat, lon: coarse.lon })).toBeNull();
  });

  it('has nothing to clear on a site placed by a person', () => {
    expect(placementAfterEdit(precise, { lat: 24.2, lon: 120.7 })).toBeNull();
  });
});
