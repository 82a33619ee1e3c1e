import { nestedDeeperThan } from './json-depth';

const nested = (levels: number, open = '[', close = ']') => JSON.parse(open.repeat(levels) + close.repeat(levels)) as unknown;

describe('nestedDeeperThan', () => {
  it('counts every array and object as one level, scalars as none', () => {
    expect(nestedDeeperThan('text', 0)).toBe(false);
    expect(nestedDeeperThan(null, 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan({ a: [1, { b: 'x' }] }, 3)).toBe(false);
    expect(nestedDeeperThan({ a: [1, { b: 'x' }] }, 2)).toBe(true);
  });

  it('finds the deep branch among shallow ones', () => {
    const body = { shallow: [1, 2, 3], other: { x: 1 }, deep: nested(10) };
    expect(nestedDeeperThan(body, 10)).toBe(true);
    expect(nestedDeeperThan(body, 11)).toBe(false);
  });

  it('walks a body nested far beyond the stack without overflowing', () => {
    expect(nestedDeeperThan(nested(200_000), 64)).toBe(true);
    expect(nestedDeeperThan(JSON.parse('{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000)), 64)).toBe(true);
  });
});
