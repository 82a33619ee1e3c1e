import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fridgeTagToSenml, parseFridgeTag } from './fridge-tag.adapter';
import { checkSilence, emptySensorState, evaluateReadings, impactOf, Reading } from './rule-engine';
import { DEFAULT_RULES, parseRuleConfig, RuleConfigError, rulesFor, SensorRule } from './rules';
import { resolveSenml } from './senml';

const IOT = join(__dirname, '..', '..', '..', 'fixtures', 'iot');
const minutes = (m: number) => m * 60;
const T0 = 1_700_000_000;
const series = (values: number[], stepMinutes = 5): Reading[] => values.map((v, i) => ({ t: T0 + minutes(i * stepMinutes), v }));

const above: SensorRule = { id: 'too-warm', kind: 'above', threshold: 8, forMinutes: 60, x: 0.5, days: 7 };
const below: SensorRule = { id: 'too-cold', kind: 'below', threshold: 2, forMinutes: 10, x: 0.5, days: 7 };
const rate: SensorRule = { id: 'swing', kind: 'rate', maxPerMinute: 1, x: 0.1, days: 1 };
const silent: SensorRule = { id: 'silent', kind: 'no-reading', minutes: 30, x: 0.05, days: 1 };

describe('threshold rules', () => {
  it('raise only after the value stayed outside for the whole duration, and clear at the first reading back inside', () => {
    // 5-minute readings: above 8 from minute 10 to 75 (65 min), back at 80.
    const values = [5, 6, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7, 6];
    const { transitions, state } = evaluateReadings(emptySensorState(), [above], series(values));
    expect(transitions).toEqual([
      { ruleId: 'too-warm', kind: 'raised', at: T0 + minutes(70), rev: 1 },
      { ruleId: 'too-warm', kind: 'cleared', at: T0 + minutes(80), rev: 2 },
    ]);
    expect(impactOf(above, state.rules['too-warm'])).toEqual({
      ruleId: 'too-warm',
      status: 'closed',
      raisedAt: T0 + minutes(70),
      clearedAt: T0 + minutes(80),
      x: 0.5,
      days: 7,
      rev: 2,
    });
  });

  it('a short excursion never raises; equal to the threshold is inside', () => {
    const { transitions } = evaluateReadings(emptySensorState(), [above], series([9, 9, 8, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8]));
    expect(transitions).toEqual([]);
  });

  it('below works the same way', () => {
    const { transitions } = evaluateReadings(emptySensorState(), [below], series([3, 1, 1, 1, 3]));
    expect(transitions.map((t) => [t.kind, (t.at - T0) / 60])).toEqual([
      ['raised', 15],
      ['cleared', 20],
    ]);
  });

  it('gives the same result whether readings come in one batch or many, in any order within a batch', () => {
    const readings = series([5, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 4, 9, 9]);
    const whole = evaluateReadings(emptySensorState(), [above, rate], readings);
    let state = emptySensorState();
    const parts = [];
    for (let i = 0; i < readings.length; i += 4) {
      const batch = readings.slice(i, i + 4).reverse();
      const r = evaluateReadings(state, [above, rate], batch);
      state = r.state;
      parts.push(...r.transitions);
    }
    expect(parts).toEqual(whole.transitions);
    expect(state).toEqual(whole.state);
  });

  it('replaying a batch is a no-op (at-least-once delivery)', () => {
    const readings = series([9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
    const first = evaluateReadings(emptySensorState(), [above], readings);
    const again = evaluateReadings(first.state, [above], readings);
    expect(again.transitions).toEqual([]);
    expect(again.skipped).toBe(readings.length);
    expect(again.state).toEqual(first.state);
  });
});

describe('rate of change', () => {
  it('raises on a steep step and clears at the next calm one', () => {
    const { transitions } = evaluateReadings(emptySensorState(), [rate], series([5, 5.5, 13, 20, 21, 21.5]));
    expect(transitions.map((t) => [t.kind, (t.at - T0) / 60])).toEqual([
      ['raised', 10],
      ['cleared', 20],
    ]);
  });
});

describe('no reading for N minutes', () => {
  it('raises at the moment the silence passed the limit (deterministic), and a reading clears it', () => {
    let { state } = evaluateReadings(emptySensorState(), [silent], [{ t: T0, v: 1 }]);
    expect(checkSilence(state, [silent], T0 + minutes(29), T0).transitions).toEqual([]);
    const check = checkSilence(state, [silent], T0 + minutes(45), T0);
    expect(check.transitions).toEqual([{ ruleId: 'silent', kind: 'raised', at: T0 + minutes(30), rev: 1 }]);
    expect(checkSilence(check.state, [silent], T0 + minutes(50), T0).transitions).toEqual([]);
    state = check.state;
    const back = evaluateReadings(state, [silent], [{ t: T0 + minutes(52), v: 2 }]);
    expect(back.transitions).toEqual([{ ruleId: 'silent', kind: 'cleared', at: T0 + minutes(52), rev: 2 }]);
  });

  it('a sensor never heard from counts from its registration', () => {
    expect(checkSilence(emptySensorState(), [silent, above], T0 + minutes(31), T0).transitions.map((t) => t.ruleId)).toEqual(['silent']);
  });
});

describe('the real Berlinger Fridge-tag 2 L excursion of 2022-06-07 (fixtures/iot)', () => {
  const report = parseFridgeTag(readFileSync(join(IOT, 'FridgeTag_2L_130500109088_202206081014.txt'), 'latin1'));
  const day = (d: string) => report.rows.filter((r) => new Date(r.t * 1000).toISOString().startsWith(d));

  it('reads the 5-minute log', () => {
    expect(report.serial).toBe('130500109088');
    expect(report.unit).toBe('Cel');
    expect(report.rows.length).toBeGreaterThan(10_000);
    expect(Math.max(...day('2022-06-07').map((r) => r.v))).toBe(30.2); // the logged 5-minute samples; the device's own max is +30.3
  });

  it('goes through SenML and the default rules: too-warm at 14:56 (the device alarmed at 14:55), cleared at 18:36', () => {
    const pack = fridgeTagToSenml({ ...report, rows: day('2022-06-07') }, 'fridge-1');
    const { records, errors } = resolveSenml(JSON.parse(JSON.stringify(pack)), T0);
    expect(errors).toEqual([]);
    const rules = rulesFor(DEFAULT_RULES, 'temperature');
    const { transitions } = evaluateReadings(
      emptySensorState(),
      rules,
      records.map((r) => ({ t: r.t, v: r.v! })),
    );
    const warm = transitions.filter((t) => t.ruleId === 'too-warm').map((t) => [t.kind, new Date(t.at * 1000).toISOString().slice(11, 16)]);
    expect(warm).toEqual([
      ['raised', '14:56'],
      ['cleared', '18:36'],
    ]);
    // The device counted 312 min above +8.0 °C that day: the continuous run from 13:56 plus the short ones before.
    const outside = day('2022-06-07').filter((r) => r.v > 8).length * 5;
    expect(Math.abs(outside - 312)).toBeLessThanOrEqual(5);
    // The sudden rise at 13:56 (6.3 → 13.9 °C in 5 min) trips the rate rule.
    expect(transitions.find((t) => t.ruleId === 'swing')).toMatchObject({ kind: 'raised' });
  });
});

describe('rule configuration', () => {
  it('accepts the defaults and lists every problem of a bad file at once', () => {
    expect(parseRuleConfig(JSON.parse(JSON.stringify(DEFAULT_RULES)))).toEqual(DEFAULT_RULES);
    try {
      parseRuleConfig({
        metrics: {
          temperature: [
            { id: 'A', kind: 'above', x: 2, days: 1 },
            { id: 'b', kind: 'sideways', x: 0.1, days: 1 },
          ],
          humidity: 3,
        },
      });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(RuleConfigError);
      expect((error as RuleConfigError).problems.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('"*" rules apply to every metric unless the metric overrides the id', () => {
    const config = parseRuleConfig({ metrics: { '*': [silent], pressure: [{ ...silent, minutes: 5 }] } });
    expect(rulesFor(config, 'pressure')).toEqual([{ ...silent, minutes: 5 }]);
    expect(rulesFor(config, 'anything')).toEqual([silent]);
  });
});
