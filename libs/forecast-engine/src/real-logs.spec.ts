import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replay, TestRule } from './testing/series';
import type { Reading } from './window';

/**
 * Real Berlinger logger reports (fixtures/iot, see SOURCES.md). The detailed
 * log's rows ("<TAB>yyyy-MM-dd hh:mm<TAB>T<TAB>[x]", device clock read as UTC)
 * are read here the way libs/telemetry's Fridge-tag adapter reads them; rows
 * without a value ("--.-") are skipped.
 */
const IOT = join(__dirname, '..', '..', '..', 'fixtures', 'iot');
const ROW = /^\t(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})\t([-+]?\d+(?:\.\d+)?)\t?(x?)\s*$/;

function logOf(file: string): Reading[] {
  const out: Reading[] = [];
  for (const line of readFileSync(join(IOT, file), 'latin1').split(/\r?\n/)) {
    const m = ROW.exec(line);
    if (m) out.push({ t: Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 1000, v: Number(m[6]) });
  }
  return out;
}

const at = (iso: string) => Date.parse(`${iso}:00Z`) / 1000;
const between = (readings: Reading[], from: string, to: string) => readings.filter((r) => r.t >= at(from) && r.t <= at(to));
const hhmm = (t: number) => new Date(t * 1000).toISOString().slice(11, 16);

const fridgeTag = logOf('FridgeTag_2L_130500109088_202206081014.txt');
const warm60: TestRule = { kind: 'above', threshold: 8, forMinutes: 60 };
const cold60: TestRule = { kind: 'below', threshold: 2, forMinutes: 60 };

describe('Fridge-tag 2 L, 5-minute log (fixtures/iot)', () => {
  it('the warm-up of 5 May is anticipated before it crosses 8 °C (10:01), and gives way when the alarm rule fires (11:01)', () => {
    const { transitions, fired } = replay(between(fridgeTag, '2022-05-05T00:00', '2022-05-05T12:00'), warm60);
    expect(fired.map(hhmm)).toEqual(['11:01']);
    const [raised, superseded] = transitions;
    expect(raised.kind).toBe('anticipated');
    expect(raised.at).toBeLessThan(at('2022-05-05T10:01'));
    expect(raised.at).toBeGreaterThanOrEqual(at('2022-05-05T08:01'));
    expect(superseded).toMatchObject({ kind: 'superseded', at: at('2022-05-05T11:01') });
  });

  it('three days of normal operation (13–15 May, 5.0–6.6 °C) give no anticipation of either alarm', () => {
    const days = between(fridgeTag, '2022-05-13T00:00', '2022-05-15T23:59');
    expect(days).toHaveLength(864);
    for (const rule of [warm60, cold60]) {
      const { transitions, forecasts } = replay(days, rule);
      expect(transitions).toEqual([]);
      expect(forecasts.filter((f) => f !== null).length).toBeGreaterThan(850);
    }
  });
});

describe('Q-tag CLm doc LR, 10-minute log, held out of the tuning (fixtures/iot)', () => {
  it('the jump of 8 November 21:49–21:59 is anticipated at the first reading above 8 °C, 30 minutes before the single-event alarm', () => {
    const readings = logOf('QTag_CLm_doc_LR_RCPJ00010_02_202211090128.txt');
    const { transitions, fired, forecasts } = replay(readings, { kind: 'above', threshold: 8, forMinutes: 30 });
    expect(fired.map(hhmm)).toEqual(['22:29']);
    expect(transitions.map((t) => [t.kind, hhmm(t.at)])).toEqual([
      ['anticipated', '21:59'],
      ['superseded', '22:29'],
    ]);
    expect(forecasts.find((f) => f !== null)!.basis.stepS).toBe(600);
  });
});

describe('a cut of the Fridge-tag report with days-long gaps (FridgeTag_2L_test.txt)', () => {
  it('no forecast reaches back over a gap, and none is made until an hour of readings follows it', () => {
    const readings = logOf('FridgeTag_2L_test.txt');
    expect(readings).toHaveLength(53);
    const { forecasts } = replay(readings, warm60);
    const gapEnds = readings.filter((r, i) => i > 0 && r.t - readings[i - 1].t > 3600).map((r) => r.t);
    expect(gapEnds).toHaveLength(3);
    readings.forEach((r, i) => {
      const lastGapEnd = Math.max(readings[0].t, ...gapEnds.filter((g) => g <= r.t));
      const f = forecasts[i];
      if (r.t - lastGapEnd < 3600) expect(f).toBeNull();
      else expect(f!.basis.firstT).toBeGreaterThanOrEqual(lastGapEnd);
    });
    expect(forecasts.filter((f) => f !== null).length).toBeGreaterThan(20);
  });
});
