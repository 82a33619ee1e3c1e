import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_RULES, emptySensorState, evaluateReadings, resolveSenml, rulesFor } from '@tiersight/telemetry';

const CLI = join(__dirname, 'telemetry-sim.mjs');
const START = Date.parse('2024-05-01T08:00:00Z') / 1000;

/** The simulator's packs as the CLI prints them with --dry-run (nothing is published). */
function dryRun(...args: string[]) {
  const res = spawnSync(process.execPath, [CLI, '--dry-run', '--start', '2024-05-01T08:00:00Z', ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as {
    startSeconds: number;
    readings: number;
    packs: Array<{ sensorId: string; pack: unknown[] }>;
    expected: Record<string, { raisedAt: number | null; clearedAt: number | null }>;
  };
}

describe('simulated cold-chain stream (tools/telemetry-sim)', () => {
  it('publishes valid SenML packs that trip the default too-warm rule once and recover, and nothing else', () => {
    const run = dryRun('--sensor', 'fridge-a', '--sensor', 'fridge-b');
    expect(run.startSeconds).toBe(START);
    expect(run.readings).toBe(2 * 48);
    // Sensors are interleaved pack by pack.
    expect(run.packs.slice(0, 2).map((p) => p.sensorId)).toEqual(['fridge-a', 'fridge-b']);
    for (const id of ['fridge-a', 'fridge-b']) {
      const { records, errors } = resolveSenml(
        run.packs.filter((p) => p.sensorId === id).map((p) => p.pack),
        0,
      );
      expect(errors).toEqual([]);
      expect(records.every((r) => r.n === id && r.u === 'Cel')).toBe(true);
      const evaluation = evaluateReadings(
        emptySensorState(),
        rulesFor(DEFAULT_RULES, 'temperature'),
        records.map((r) => ({ t: r.t, v: r.v! })),
      );
      expect(evaluation.transitions.map((t) => [t.ruleId, t.kind, t.at])).toEqual([
        ['too-warm', 'raised', START + 25 * 300],
        ['too-warm', 'cleared', START + 37 * 300],
      ]);
      expect(run.expected[id]).toEqual({ raisedAt: START + 25 * 300, clearedAt: START + 37 * 300 });
    }
  });

  it('splits the stream into an excursion (the rule trips and still fires) and a recovery (it clears)', () => {
    const rules = rulesFor(DEFAULT_RULES, 'temperature');
    const records = (phase: string) =>
      resolveSenml(
        dryRun('--sensor', 'f', '--phase', phase).packs.map((p) => p.pack),
        0,
      ).records.map((r) => ({ t: r.t, v: r.v! }));
    const first = evaluateReadings(emptySensorState(), rules, records('excursion'));
    expect(first.transitions.map((t) => t.kind)).toEqual(['raised']);
    expect(first.state.rules['too-warm'].firing).toBe(true);
    const second = evaluateReadings(first.state, rules, records('recovery'));
    expect(second.transitions.map((t) => [t.kind, t.at])).toEqual([['cleared', START + 37 * 300]]);
  });
});
