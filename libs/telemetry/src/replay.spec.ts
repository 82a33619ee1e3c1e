import fc from 'fast-check';
import { emptySensorState, evaluateReadings, Evaluation, impactOf, Reading, replayReadings, SensorState } from './rule-engine';
import type { SensorRule } from './rules';

const RULES: SensorRule[] = [
  { id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 60, x: 0.5, days: 7 },
  { id: 'too-cold', kind: 'below', threshold: 2, forMinutes: 30, x: 0.5, days: 7 },
  { id: 'swing', kind: 'rate', maxPerMinute: 1, x: 0.1, days: 1 },
];
const T0 = 1_700_000_000;

/**
 * The worker's bookkeeping in memory, as SensorStateStore keeps it in Redis:
 * the state, every reading (an unbounded window) and a checkpoint per commit.
 */
class Sensor {
  state: SensorState = emptySensorState();
  window = new Map<number, number>();
  checkpoints: Array<{ t: number; state: SensorState }> = [{ t: -1, state: emptySensorState() }];
  transitions = 0;

  apply(batch: Reading[]): Evaluation {
    const earliest = Math.min(...batch.map((r) => r.t));
    let evaluation: Evaluation;
    if (this.state.lastT !== null && earliest <= this.state.lastT) {
      const before = this.checkpoints.filter((c) => c.t < earliest);
      const cp = before.length ? before[before.length - 1] : this.checkpoints[0];
      const stored = [...this.window].filter(([t]) => t > cp.t).map(([t, v]) => ({ t, v }));
      evaluation = replayReadings(this.state, RULES, cp.state, stored, batch);
      this.checkpoints = this.checkpoints.filter((c) => c.t <= cp.t);
    } else {
      evaluation = evaluateReadings(this.state, RULES, batch);
    }
    this.state = evaluation.state;
    this.transitions += evaluation.transitions.length;
    for (const r of batch) this.window.set(r.t, r.v);
    this.checkpoints = this.checkpoints.filter((c) => c.t !== this.state.lastT);
    this.checkpoints.push({ t: this.state.lastT!, state: this.state });
    return evaluation;
  }
}

/** The episode each rule shows; one retracted by a late reading (closed where it began) counts as none. */
const episodes = (state: SensorState) =>
  RULES.map((rule) => {
    const i = impactOf(rule, state.rules[rule.id]);
    if (!i || (i.status === 'closed' && i.clearedAt === i.raisedAt)) return null;
    return { rule: rule.id, status: i.status, raisedAt: i.raisedAt, clearedAt: i.clearedAt };
  });

describe('late readings are replayed: the arrival order of batches never changes an impact', () => {
  const series = (values: number[]) => values.map((v, i) => ({ t: T0 + i * 300, v }));

  it('an overtaken batch holding the start of an excursion still raises it at the right time', () => {
    // 5 °C for an hour, 12 °C for two hours, back to 5 °C.
    const readings = series([...Array(12).fill(5), ...Array(24).fill(12), ...Array(12).fill(5)]);
    const inOrder = evaluateReadings(emptySensorState(), RULES, readings).state;
    const sensor = new Sensor();
    sensor.apply(readings.slice(0, 10));
    sensor.apply(readings.slice(20)); // overtakes the batch that holds the crossing
    const late = sensor.apply(readings.slice(10, 20));
    expect(late.transitions.length).toBeGreaterThan(0);
    expect(episodes(sensor.state)).toEqual(episodes(inOrder));
    expect(episodes(sensor.state)[0]).toEqual({ rule: 'too-warm', status: 'closed', raisedAt: T0 + 24 * 300, clearedAt: T0 + 36 * 300 });
  });

  it('a batch delivered twice (a retried job) changes nothing the second time', () => {
    const readings = series([...Array(12).fill(5), ...Array(24).fill(12)]);
    const sensor = new Sensor();
    sensor.apply(readings.slice(0, 20));
    sensor.apply(readings.slice(20));
    const before = JSON.stringify(sensor.state);
    const again = sensor.apply(readings.slice(0, 20));
    expect(again.transitions).toEqual([]);
    expect(JSON.stringify(sensor.state)).toBe(before);
  });

  it('a late reading that breaks a run retracts an episode already written (closed where it began, new revision)', () => {
    const readings = series([5, ...Array(14).fill(12)]);
    const sensor = new Sensor();
    sensor.apply([...readings.slice(0, 5), ...readings.slice(6)]);
    expect(sensor.state.rules['too-warm']).toMatchObject({ firing: true, rev: 1 });
    const late = sensor.apply([{ t: readings[5].t, v: 5 }]);
    const s = sensor.state.rules['too-warm'];
    expect(s).toMatchObject({ firing: false, raisedAt: readings[13].t, clearedAt: readings[13].t });
    expect(s.rev).toBe(2);
    expect(late.transitions.find((t) => t.ruleId === 'too-warm')).toMatchObject({ kind: 'cleared', rev: 2 });
  });

  it('property: any split into batches, delivered in any order and some twice, ends as evaluating all readings in time order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(5), fc.constant(12), fc.constant(1), fc.integer({ min: 0, max: 14 })), { minLength: 5, maxLength: 80 }),
        fc.array(fc.integer({ min: 1, max: 79 }), { maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        (values, cuts, order) => {
          const readings = series(values);
          const bounds = [...new Set([0, ...cuts.filter((c) => c < readings.length), readings.length])].sort((a, b) => a - b);
          const batches = bounds.slice(1).map((end, i) => readings.slice(bounds[i], end));
          // A delivery order built from `order`: every batch at least once, some again.
          const pending = [...batches.keys()];
          const deliveries: number[] = [];
          for (const k of order) {
            if (pending.length === 0) break;
            deliveries.push(...pending.splice(k % pending.length, 1));
            if (k % 3 === 0) deliveries.push(deliveries[k % deliveries.length]);
          }
          deliveries.push(...pending);
          const sensor = new Sensor();
          for (const i of deliveries) sensor.apply(batches[i]);
          const inOrder = evaluateReadings(emptySensorState(), RULES, readings).state;
          expect(episodes(sensor.state)).toEqual(episodes(inOrder));
          expect(sensor.state.lastT).toBe(inOrder.lastT);
        },
      ),
      { numRuns: 300 },
    );
  });
});
