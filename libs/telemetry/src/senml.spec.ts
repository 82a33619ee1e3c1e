import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RELATIVE_TIME_LIMIT, resolveSenml, SenmlPackError } from './senml';

const DIR = join(__dirname, '..', '..', '..', 'fixtures', 'senml', 'rfc8428');
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8'));
const index = read('INDEX.json') as { examples: Array<{ file: string; resolved_file?: string; expected_resolved_derived?: unknown[] }> };
const NOW = 1_750_000_000;

/** Compares with a tolerance on times (bt + t in binary floating point). */
function expectResolved(actual: Array<Record<string, unknown>>, expected: Array<Record<string, unknown>>) {
  expect(actual.map(({ t: _t, ...rest }) => rest)).toEqual(expected.map(({ t: _t, ...rest }) => rest));
  actual.forEach((r, i) => expect(r.t as number).toBeCloseTo(expected[i].t as number, 5));
}

/** True when a pack carries an absolute time somewhere (otherwise the spec tool used its own "now"). */
const hasAbsoluteTime = (pack: Array<Record<string, unknown>>) =>
  pack.some((r) => (typeof r.bt === 'number' && r.bt >= RELATIVE_TIME_LIMIT) || (typeof r.t === 'number' && r.t >= RELATIVE_TIME_LIMIT));

describe('SenML resolution (RFC 8428 §4.6) on every JSON example of the RFC', () => {
  const jsonExamples = readdirSync(DIR).filter((f) => /^ex\d+\.json$/.test(f));

  it('covers every example listed in INDEX.json', () => {
    expect(jsonExamples.sort()).toEqual(index.examples.map((e) => e.file).sort());
  });

  it.each(jsonExamples)('%s resolves without errors', (file) => {
    const { records, errors } = resolveSenml(read(file), NOW);
    expect(errors).toEqual([]);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.n).toMatch(/^[A-Za-z0-9][-:./A-Za-z0-9_]*$/);
      expect(Number.isFinite(r.t)).toBe(true);
    }
  });

  it.each(index.examples.filter((e) => e.resolved_file).map((e) => [e.file, e.resolved_file!]))('%s matches %s', (file, resolvedFile) => {
    const pack = read(file);
    const expected = read(resolvedFile) as Array<Record<string, unknown>>;
    const { records } = resolveSenml(pack, NOW);
    if (hasAbsoluteTime(pack)) {
      expectResolved(records as never, expected);
    } else {
      // The tool stamped its own wall clock: every time is "now" there, and ours is NOW.
      expectResolved(
        records as never,
        expected.map((r) => ({ ...r, t: NOW })),
      );
    }
  });

  it('ex1 (§5.1.1): no time means the time of receipt', () => {
    expect(resolveSenml(read('ex1.json'), NOW).records).toEqual([{ n: 'urn:dev:ow:10e2073a01080063', u: 'Cel', v: 23.1, t: NOW }]);
  });

  it('ex2 and ex9: base-only records set context; names concatenate bn + n', () => {
    expect(resolveSenml(read('ex2.json'), NOW).records.map((r) => r.n)).toEqual(['urn:dev:ow:10e2073a01080063:voltage', 'urn:dev:ow:10e2073a01080063:current']);
    const ex9 = resolveSenml(read('ex9.json'), NOW).records;
    expect(ex9.map((r) => [r.n, r.u, r.v])).toEqual([
      ['urn:dev:ow:10e2073a01080063:temp', 'Cel', 23.1],
      ['urn:dev:ow:10e2073a01080063:heat', '/', 1],
      ['urn:dev:ow:10e2073a01080063:fan', '/', 0],
    ]);
  });

  it('ex3: negative times are relative to the base time; bu applies only where u is absent; bver is dropped', () => {
    const records = resolveSenml(read('ex3.json'), NOW).records;
    expect(records[0]).toEqual({ n: 'urn:dev:ow:10e2073a0108006:voltage', u: 'V', v: 120.1, t: 1.276020076001e9 });
    expect(records[1].u).toBe('A');
    expect(records[1].t).toBeCloseTo(1.276020071001e9, 5);
    expect(records.every((r) => !('bver' in r))).toBe(true);
  });

  it('ex5 is the RFC §5.1.4 resolved text', () => {
    expectResolved(resolveSenml(read('ex5.json'), NOW).records as never, read('rfc8428-5.1.4-resolved.json'));
  });

  it('ex7: string, boolean and data values resolve too (the spec tool drops vd; the RFC does not)', () => {
    const records = resolveSenml(read('ex7.json'), NOW).records;
    expect(records.map((r) => [r.n.split(':').pop(), r.v ?? r.vs ?? r.vb ?? r.vd])).toEqual([
      ['temp', 23.1],
      ['label', 'Machine Room'],
      ['open', false],
      ['nfv-reader', 'aGkgCg'],
    ]);
  });

  it('ex8: an extension field that need not be understood travels on', () => {
    expect(resolveSenml(read('ex8.json'), NOW).records[0]).toMatchObject({ l: '[{"href":"humidity","foo":"bar"}]' });
  });

  it('ex13: relative t after a base time (hand-derived in INDEX.json)', () => {
    const expected = index.examples.find((e) => e.file === 'ex13.json')!.expected_resolved_derived as Array<Record<string, unknown>>;
    expectResolved(resolveSenml(read('ex13.json'), NOW).records as never, expected);
  });

  it('relative times without a base time count from the time of receipt, negative ones into the past', () => {
    const { records } = resolveSenml(
      [
        { n: 'a', v: 1, t: -60 },
        { n: 'a', v: 2, t: 0 },
        { n: 'a', v: 3, bt: -120, t: 10 },
      ],
      NOW,
    );
    expect(records.map((r) => r.t)).toEqual([NOW - 60, NOW, NOW - 110]);
  });

  it('base value and base sum add to v and s', () => {
    const { records } = resolveSenml([{ bn: 'm', bv: 100, bs: 5, v: 1, s: 2 }, { v: -1 }], NOW);
    expect(records.map((r) => [r.v, r.s])).toEqual([
      [101, 7],
      [99, undefined],
    ]);
  });

  it('accepts a list of packs; base fields do not cross from one pack to the next', () => {
    const { records, errors } = resolveSenml([[{ bn: 'a/', n: 'x', v: 1 }], [{ n: 'y', v: 2 }]], NOW);
    expect(records.map((r) => r.n)).toEqual(['a/x', 'y']);
    expect(errors).toEqual([]);
  });
});

describe('SenML broken input', () => {
  it.each([
    ['an object instead of an array', { n: 'x', v: 1 }],
    ['a string', '[{"n":"x","v":1}'],
    ['null', null],
    ['a record that is not an object', [{ n: 'x', v: 1 }, 5]],
    ['bn of the wrong type', [{ bn: 7, v: 1 }]],
    ['bt of the wrong type', [{ bn: 'x', bt: '2024-01-01', v: 1 }]],
    ['bv of the wrong type', [{ bn: 'x', bv: '1', v: 1 }]],
    ['a future SenML version', [{ bn: 'x', bver: 11, v: 1 }]],
    ['an unknown must-understand field', [{ bn: 'x', v: 1, foo_: 1 }]],
  ])('rejects the whole pack: %s', (_what, body) => {
    expect(() => resolveSenml(body, NOW)).toThrow(SenmlPackError);
  });

  it('truncated JSON never reaches the resolver as a pack (the JSON parser refuses it)', () => {
    const text = readFileSync(join(DIR, 'ex5.json'), 'utf8');
    for (const cut of [1, 10, text.length / 2, text.length - 3]) expect(() => JSON.parse(text.slice(0, Math.floor(cut)))).toThrow();
  });

  it('reports bad records one by one and resolves the others', () => {
    const { records, errors } = resolveSenml(
      [
        { bn: 'dev1/', n: 'ok', v: 1 },
        { n: 'text', v: 'hot' },
        { n: 'bad name!', v: 2 },
        { n: 'two', v: 1, vs: 'x' },
        { n: 'nov' },
        { n: 'time', v: 1, t: 'yesterday' },
        { n: 'flag', vb: 'true' },
        { n: 'blob', vd: 'a+b=' },
        { n: 'unit', v: 1, u: 5 },
        { n: 'ok2', v: 3 },
      ],
      NOW,
    );
    expect(records.map((r) => r.n)).toEqual(['dev1/ok', 'dev1/ok2']);
    expect(errors.map((e) => [e.index, e.reason.split(' ')[0]])).toEqual([
      [1, 'v'],
      [2, 'invalid'],
      [3, 'a'],
      [4, 'the'],
      [5, 't'],
      [6, 'vb'],
      [7, 'vd'],
      [8, 'u'],
    ]);
    expect(errors[0]).toMatchObject({ name: 'dev1/text', record: { n: 'text', v: 'hot' } });
  });

  it('a record without any name is an error, not a crash', () => {
    expect(resolveSenml([{ v: 1 }], NOW).errors[0].reason).toMatch(/no name/);
  });

  it('non-finite numbers cannot come from JSON, and huge ones stay numbers', () => {
    const { records } = resolveSenml(JSON.parse('[{"n":"x","v":1e308,"t":1e10}]'), NOW);
    expect(records[0]).toMatchObject({ v: 1e308, t: 1e10 });
  });
});
