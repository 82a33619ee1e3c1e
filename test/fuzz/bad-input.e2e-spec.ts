jest.setTimeout(240_000);

import { postJson } from '../support/api-harness';
import { FuzzSession, fuzzSeed } from './fuzz-session';
import { FuzzCase, sampleCases } from './bad-input-arbitraries';
import { describeCase, runCases } from './fuzz-runner';

/**
 * The bad-input battery over every route of the OpenAPI document (issue #13):
 * seeded cases sent over real HTTP to the API on real Neo4j and Redis. Pass:
 * no answer ≥ 500, no crash, every refusal problem+json, and no write from a
 * refused request (graph version and audit head unchanged).
 *
 *   FUZZ_SEED=<seed> reproduces a run (the seed is printed); FUZZ_CASES=<n> changes its size.
 *   npm run fuzz -- --cases 100000 is the long run.
 */
const seed = fuzzSeed(process.env.FUZZ_SEED);
const CASES = Number(process.env.FUZZ_CASES ?? 1200);

describe('bad input on every route of the OpenAPI document (real Neo4j and Redis)', () => {
  let session: FuzzSession;

  beforeAll(async () => {
    session = await FuzzSession.start(seed);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('sees a write in its marks (graph version and audit head), so "no write on refusal" can fail', async () => {
    const before = await session.mark();
    const res = await postJson(`${session.url}/v1/graph/import`, { parts: [{ id: `${session.prefix}P-probe`, name: 'probe' }] });
    expect(res.status).toBe(200);
    const after = await session.mark();
    expect(after.graphVersion).toBeGreaterThan(before.graphVersion);
    expect(after.auditSeq).toBeGreaterThan(before.auditSeq);
    expect(after.auditHash).not.toBe(before.auditHash);
  });

  it('answers the bad inputs it once found a 5xx or an accepted write for with a 4xx (or the accepted answer they deserve)', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const json = { 'content-type': 'application/json' };
    const p = session.prefix;
    const regressions: Array<[FuzzCase, number]> = [
      // A body that does not decompress: the body parser's typeless 400.
      [{ operation: 'GET /v1/me', mutation: 'gzip', method: 'GET', target: '/v1/me', headers: { ...json, 'content-encoding': 'gzip' }, body: '{}' }, 400],
      // Nesting the validation pipe would recurse through until the stack overflows.
      [{ operation: 'POST /v1/scenarios', mutation: 'deep', method: 'POST', target: '/v1/scenarios', headers: json, body: `{"impacts":${deep(10_000)}}` }, 400],
      // A SenML record too deep to serialise into its dead letter: dead-lettered all the same.
      [
        {
          operation: 'POST /v1/telemetry',
          mutation: 'deep',
          method: 'POST',
          target: '/v1/telemetry',
          headers: { 'content-type': 'application/senml+json' },
          body: `[{"bn":"${p}probe","bu":"Cel","v":${deep(50_000)}}]`,
        },
        202,
      ],
      // An id nested too deep to turn into text for the in-batch duplicate check.
      [
        {
          operation: 'POST /v1/graph/import',
          mutation: 'deep',
          method: 'POST',
          target: '/v1/graph/import',
          headers: json,
          body: `{"parts":[{"id":${deep(50_000)},"name":"x"}]}`,
        },
        422,
      ],
      // Fields named like members every object inherits are unknown fields.
      [
        {
          operation: 'POST /v1/graph/import',
          mutation: 'inherited',
          method: 'POST',
          target: '/v1/graph/import',
          headers: json,
          body: `{"parts":[{"id":"${p}P-x","name":"x","constructor":"y"}]}`,
        },
        422,
      ],
      [
        {
          operation: 'POST /v1/portal/subtier',
          mutation: 'inherited',
          method: 'POST',
          target: '/v1/portal/subtier',
          headers: json,
          body: '{"suppliers":[{"ref":"r1","name":"n","country":"TW","visibility":"shared","__proto__":"y"}]}',
        },
        422,
      ],
    ];
    const answered: number[] = [];
    const report = await runCases(
      session,
      regressions.map(([c]) => c),
      { onAnswer: (_c, status) => answered.push(status) },
    );
    expect(report.failures).toEqual([]);
    expect(answered).toEqual(regressions.map(([, status]) => status));
  });

  it('draws the same cases from the same seed, and cases for every operation', () => {
    const first = [...session.cases(300)];
    expect([...session.cases(300)]).toEqual(first);
    const other = [...sampleCases(session.document, { ids: session.ids }, seed + 1, 300)];
    expect(other.map(describeCase)).not.toEqual(first.map(describeCase));
    const operations = session.operations().map((op) => op.key);
    expect(operations.length).toBeGreaterThan(50);
    const drawn = new Set([...session.cases(CASES)].map((c) => c.operation));
    expect(operations.filter((op) => !drawn.has(op))).toEqual([]);
  });

  it(`answers every case below 500, refuses with problem+json and writes nothing when it refuses`, async () => {
    process.stdout.write(`bad-input battery: ${CASES} cases, seed ${seed} (FUZZ_SEED=${seed} reproduces it)\n`);
    const report = await session.run(CASES);
    process.stdout.write(
      `bad-input battery: ${report.cases} cases over ${report.operations} operations in ${(report.ms / 1000).toFixed(1)} s (${(report.markMs / 1000).toFixed(1)} s reading marks); answers ${JSON.stringify(report.statuses)}\n` +
        `slowest: ${report.slowest.map((s) => `${s.ms} ms ${s.request.slice(0, 160)}`).join('\n         ')}\n`,
    );
    expect(report.failures.map((f) => `#${f.index} ${f.rule} (${f.status}): ${f.request} → ${f.detail}`)).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.cases).toBe(CASES);
    // The battery reached the checks behind the parser, the key guard, the router and the validators.
    for (const status of ['400', '401', '404', '413', '415', '422']) expect(report.statuses[status]).toBeGreaterThan(0);
  });
});
