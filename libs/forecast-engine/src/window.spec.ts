import fc from 'fast-check';
import { cleanReadings, regularWindow } from './window';
import { MINUTE, series, T0 } from './testing/series';

const OPTIONS = { windowS: 3 * 3600, gapFactor: 3, minPoints: 6, minSpanS: 0 };

describe('cleaning the readings', () => {
  it('sorts them, keeps one of exact duplicates and averages different values at one instant', () => {
    const clean = cleanReadings([
      { t: T0 + 600, v: 3 },
      { t: T0, v: 1 },
      { t: T0 + 300, v: 2 },
      { t: T0 + 300, v: 2 },
      { t: T0 + 600, v: 5 },
      { t: T0 + 900, v: NaN },
    ]);
    expect(clean).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 300, v: 2 },
      { t: T0 + 600, v: 4 },
    ]);
  });
});

describe('the regular window', () => {
  it('regular readings are their own grid', () => {
    const readings = series([1, 2, 3, 4, 5, 6, 7]);
    expect(regularWindow(readings, OPTIONS)).toEqual({ values: [1, 2, 3, 4, 5, 6, 7], stepS: 300, firstT: T0, lastT: T0 + 1800, n: 7 });
  });

  it('keeps only the readings within windowS of the newest one', () => {
    const readings = series(Array.from({ length: 100 }, (_, i) => i));
    const w = regularWindow(readings, { ...OPTIONS, windowS: 3600 })!;
    expect(w.firstT).toBe(T0 + 87 * 300);
    expect(w.values).toEqual(Array.from({ length: 13 }, (_, i) => 87 + i));
  });

  it('irregular readings are interpolated on a grid of their median interval, ending on the newest reading', () => {
    // 4, 6, 5, 5, 4, 6 minutes apart (median 5) on the line v = t / 60 (minutes).
    const minutes = [0, 4, 10, 15, 20, 24, 30];
    const w = regularWindow(
      minutes.map((m) => ({ t: T0 + m * MINUTE, v: m })),
      OPTIONS,
    )!;
    expect(w.stepS).toBe(5 * MINUTE);
    expect(w.values).toEqual([0, 5, 10, 15, 20, 25, 30]);
    expect(w.n).toBe(7);
  });

  it('a gap longer than gapFactor × the median interval starts the window after it; a shorter one does not', () => {
    const before = series([1, 1, 1, 1, 1, 1, 1, 1]);
    const after = (gapMinutes: number) => series([2, 2, 2, 2, 2, 2], 300, T0 + 7 * 300 + gapMinutes * MINUTE);
    const long = regularWindow([...before, ...after(16)], OPTIONS)!;
    expect(long.firstT).toBe(T0 + 7 * 300 + 16 * MINUTE);
    expect(long.values).toEqual([2, 2, 2, 2, 2, 2]);
    const short = regularWindow([...before, ...after(15)], OPTIONS)!;
    expect(short.firstT).toBe(T0);
    expect(short.n).toBe(14);
  });

  it('too few readings (after a gap, or at all): no window', () => {
    expect(regularWindow(series([1, 2, 3, 4, 5]), OPTIONS)).toBeNull();
    expect(regularWindow([...series([1, 1, 1, 1, 1, 1, 1, 1]), ...series([2, 2, 2], 300, T0 + 86400)], OPTIONS)).toBeNull();
    expect(regularWindow([], OPTIONS)).toBeNull();
  });

  it('readings spanning less than minSpanS: no window', () => {
    const hour = series(Array.from({ length: 13 }, () => 5)); // 0 to 60 minutes
    expect(regularWindow(hour, { ...OPTIONS, minSpanS: 3600 })).not.toBeNull();
    expect(regularWindow(hour.slice(1), { ...OPTIONS, minSpanS: 3600 })).toBeNull();
  });

  it('property: the order of the readings and repeated deliveries never change the window', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100, max: 400 }), { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 60 }), (values, picks) => {
        const readings = series(values.map((v) => v / 10));
        const delivered = [...readings, ...picks.filter((p) => p < readings.length).map((p) => readings[p])];
        // A deterministic shuffle driven by the picks.
        const shuffled = delivered
          .map((r, i) => ({ r, k: (picks[i % Math.max(1, picks.length)] ?? 0) * 7919 + i * 104729 }))
          .sort((a, b) => (a.k % 1009) - (b.k % 1009));
        expect(
          regularWindow(
            shuffled.map((x) => x.r),
            OPTIONS,
          ),
        ).toEqual(regularWindow(readings, OPTIONS));
      }),
      { numRuns: 200 },
    );
  });
});
