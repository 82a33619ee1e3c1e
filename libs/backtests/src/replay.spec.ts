import { tinyGraph } from '../../risk-engine/src/testing/tiny-graph';
import { replay, replaySteps, type ReplayInput, type TimedEvent } from './replay';

/**
 * The replay on hand-computed cases (DESIGN §3 by hand, the alert rules of
 * the live path): a chain S1 → S2 → S3 → SKU-A, with SKU-B fed from S2 at half
 * share; SKUs earn 1000/day.
 *
 *   S1 -P1 (share 1, buffer 2, lead 1)-> S2 -P2 (share 1, buffer 1, lead 2)-> S3 -(share 1, buffer 0, lead 1)-> SKU-A
 *                                         S2 -(share 0.5, buffer 0, lead 0)-> SKU-B
 *
 * S1 hit (0.8, 10): S2 (0.8, 10−2 = 8, onset 0+1+2 = 3), S3 (0.8, 7, 3+2+1 = 6),
 * SKU-A (0.8, 7, onset 7, 1000·0.8·7 = 5600), SKU-B (0.5·0.8 = 0.4, 8, onset 3, 3200).
 * S3 hit (1, 3) as well: S3 (1, max(3, 7) = 7, onset 0), SKU-A (1, 7, onset 1, 7000).
 */
const projection = tinyGraph({
  sites: ['S1', 'S2', 'S3'],
  skus: ['SKU-A', 'SKU-B'],
  edges: [
    ['S1', 'S2', 'P1', 1, 2, 1],
    ['S2', 'S3', 'P2', 1, 1, 2],
    ['S3', 'SKU-A', 'SKU-A', 1, 0, 1],
    ['S2', 'SKU-B', 'SKU-B', 0.5, 0, 0],
  ],
});

const steps = { x: 0.01, days: 0.5, revenuePct: 5 };
const subscriptions = [
  { id: 'sub-a', filters: { skuIds: ['SKU-A'] } },
  { id: 'sub-all', filters: {} },
];
const t = (day: number, hour = 0) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();
const input = (events: TimedEvent[], from = t(1), to = t(25)): ReplayInput => ({ projection, events, subscriptions, from, to, steps });
const event = (
  id: string,
  startsAt: string,
  endsAt: string | null,
  impacts: TimedEvent['impacts'],
  anticipated: TimedEvent['anticipated'] = [],
): TimedEvent => ({
  id,
  type: 'storm',
  title: id,
  startsAt,
  endsAt,
  impacts,
  anticipated,
});
/** An alert's essentials, for comparing lists written by hand. */
const brief = (a: { at: string; type: string; subscriptionId: string; skuId: string; leadDays: number | null }) =>
  `${a.at.slice(0, 10)} ${a.subscriptionId} ${a.skuId} ${a.type} lead=${a.leadDays}`;

describe('replay: two observed events at known times on a chain', () => {
  // E1 on S1 from Jan 1 to Jan 20; E2 on S3 from Jan 5 to Jan 8.
  const report = replay(input([event('E1', t(1), t(20), [{ siteId: 'S1', x: 0.8, days: 10 }]), event('E2', t(5), t(8), [{ siteId: 'S3', x: 1, days: 3 }])]));

  it('gives the alerts each subscription would have got, when, with their lead before the shortage reaches the SKU', () => {
    // SKU-A's shortage opens Jan 1 (onset 7: Jan 8); E2 on Jan 5 brings it to Jan 5 + 1 = Jan 6: the shortage reaches SKU-A on Jan 6.
    // SKU-B's reaches it Jan 1 + 3 = Jan 4. Both end with E1 on Jan 20.
    expect(report.alerts.map(brief)).toEqual([
      '2024-01-01 sub-a SKU-A exposure.created lead=5',
      '2024-01-01 sub-all SKU-A exposure.created lead=5',
      '2024-01-01 sub-all SKU-B exposure.created lead=3',
      '2024-01-05 sub-a SKU-A exposure.worsened lead=1',
      '2024-01-05 sub-all SKU-A exposure.worsened lead=1',
      '2024-01-08 sub-a SKU-A exposure.improved lead=null',
      '2024-01-08 sub-all SKU-A exposure.improved lead=null',
      '2024-01-20 sub-a SKU-A exposure.resolved lead=null',
      '2024-01-20 sub-all SKU-A exposure.resolved lead=null',
      '2024-01-20 sub-all SKU-B exposure.resolved lead=null',
    ]);
    expect(report.alerts.every((a) => a.basis === 'observed')).toBe(true);
    expect(report.instants).toBe(4);
  });

  it('carries the numbers of each alert as the engine computes them', () => {
    const [created, , createdB, worsened] = report.alerts;
    expect(created).toMatchObject({ x: 0.8, days: 7, onsetDays: 7, revenueAtRisk: 5600, eventIds: ['E1'], reachesAt: t(6), p: null, outcome: null });
    expect(createdB).toMatchObject({ skuId: 'SKU-B', x: 0.4, days: 8, onsetDays: 3, revenueAtRisk: 3200 });
    // The critical path stops at S3, whose direct loss (1) is at least its input's (0.8): E2 alone is behind it.
    expect(worsened).toMatchObject({ x: 1, days: 7, onsetDays: 1, revenueAtRisk: 7000, eventIds: ['E2'] });
    const resolved = report.alerts.find((a) => a.type === 'exposure.resolved' && a.skuId === 'SKU-A')!;
    // A resolved alert shows the numbers it had before.
    expect(resolved).toMatchObject({ x: 0.8, days: 7, onsetDays: 7, revenueAtRisk: 5600 });
  });

  it('reports the shortages, per SKU and subscription figures, volume per day and totals', () => {
    expect(report.shortages).toEqual([
      {
        skuId: 'SKU-A',
        startedAt: t(1),
        reachesAt: t(6),
        endedAt: t(20),
        eventIds: ['E1', 'E2'],
        off: { warnedAt: t(1), leadDays: 5 },
        on: { warnedAt: t(1), leadDays: 5 },
      },
      {
        skuId: 'SKU-B',
        startedAt: t(1),
        reachesAt: t(4),
        endedAt: t(20),
        eventIds: ['E1'],
        off: { warnedAt: t(1), leadDays: 3 },
        on: { warnedAt: t(1), leadDays: 3 },
      },
    ]);
    expect(report.skus.find((s) => s.skuId === 'SKU-A')).toEqual({
      skuId: 'SKU-A',
      shortages: 1,
      firstShortageAt: t(6),
      off: { alerts: 8, firstAlertAt: t(1), warnedAt: t(1), leadDays: 5 },
      on: { alerts: 8, firstAlertAt: t(1), warnedAt: t(1), leadDays: 5 },
      gainDays: 0,
    });
    const subA = report.bySubscription.find((s) => s.subscriptionId === 'sub-a')!;
    expect(subA.off.alerts).toBe(4);
    expect(subA.off.byType).toMatchObject({
      'exposure.created': 1,
      'exposure.worsened': 1,
      'exposure.improved': 1,
      'exposure.resolved': 1,
      'exposure.anticipated': 0,
    });
    expect(subA.off.shortagesWarned).toBe(1); // the filter keeps SKU-B out
    expect(report.bySubscription.find((s) => s.subscriptionId === 'sub-all')!.off.shortagesWarned).toBe(2);

    const perDay = Object.fromEntries(report.days.filter((d) => d.on > 0).map((d) => [d.day, [d.off, d.on]]));
    expect(perDay).toEqual({ '2024-01-01': [3, 3], '2024-01-05': [2, 2], '2024-01-08': [2, 2], '2024-01-20': [3, 3] });
    expect(report.days).toHaveLength(25); // Jan 1 … Jan 25, every day listed
    expect(report.totals.off).toMatchObject({ alerts: 10, skusAlerted: 2, shortages: 2, shortagesWarned: 2, shortagesWarnedAhead: 2 });
    expect(report.totals.off.leadDays).toEqual({ mean: 4, median: 4, min: 3, max: 5 });
    expect(report.totals.on).toEqual(report.totals.off);
  });
});

describe('replay: an anticipated hit before the observed one', () => {
  // A forecast anticipates S1 (0.8, 10) with p 0.7 from Jan 1; the storm arrives on S1 on Jan 3 (the forecast's advisory ends).
  const events = [event('FC', t(1), t(3), [], [{ siteId: 'S1', x: 0.8, days: 10, p: 0.7 }]), event('OBS', t(3), null, [{ siteId: 'S1', x: 0.8, days: 10 }])];
  const report = replay(input(events, t(1), t(10)));

  it('with anticipation on, warns earlier (exposure.anticipated, with p) and the lead grows by the anticipation', () => {
    // SKU-A's shortage opens Jan 3 and reaches it Jan 3 + 7 = Jan 10; SKU-B's Jan 3 + 3 = Jan 6.
    expect(report.alerts.map(brief)).toEqual([
      '2024-01-01 sub-a SKU-A exposure.anticipated lead=9',
      '2024-01-01 sub-all SKU-A exposure.anticipated lead=9',
      '2024-01-01 sub-all SKU-B exposure.anticipated lead=5',
      '2024-01-03 sub-a SKU-A exposure.created lead=7',
      '2024-01-03 sub-all SKU-A exposure.created lead=7',
      '2024-01-03 sub-all SKU-B exposure.created lead=3',
    ]);
    const anticipated = report.alerts[0];
    expect(anticipated).toMatchObject({
      basis: 'anticipated',
      p: 0.7,
      x: 0.8,
      days: 7,
      onsetDays: 7,
      revenueAtRisk: 5600,
      eventIds: ['FC'],
      outcome: 'realized',
    });
    // The outlook came true: no anticipation_cleared follows (the observed alerts tell it).
    expect(report.alerts.some((a) => a.type === 'exposure.anticipation_cleared')).toBe(false);
  });

  it('puts anticipation off and on side by side', () => {
    expect(report.skus).toEqual([
      {
        skuId: 'SKU-A',
        shortages: 1,
        firstShortageAt: t(10),
        off: { alerts: 2, firstAlertAt: t(3), warnedAt: t(3), leadDays: 7 },
        on: { alerts: 4, firstAlertAt: t(1), warnedAt: t(1), leadDays: 9 },
        gainDays: 2,
      },
      {
        skuId: 'SKU-B',
        shortages: 1,
        firstShortageAt: t(6),
        off: { alerts: 1, firstAlertAt: t(3), warnedAt: t(3), leadDays: 3 },
        on: { alerts: 2, firstAlertAt: t(1), warnedAt: t(1), leadDays: 5 },
        gainDays: 2,
      },
    ]);
    expect(report.totals.off).toMatchObject({ alerts: 3, shortagesWarned: 2, leadDays: { mean: 5, median: 5, min: 3, max: 7 } });
    expect(report.totals.on).toMatchObject({ alerts: 6, shortagesWarned: 2, leadDays: { mean: 7, median: 7, min: 5, max: 9 } });
    expect(report.totals.on.byType['exposure.anticipated']).toBe(3);
    expect(report.totals.off.byType['exposure.anticipated']).toBe(0);
    expect(report.days.slice(0, 3)).toEqual([
      { day: '2024-01-01', off: 0, on: 3 },
      { day: '2024-01-02', off: 0, on: 0 },
      { day: '2024-01-03', off: 3, on: 3 },
    ]);
  });
});

describe('replay: an anticipation that never comes true', () => {
  it('is cleared (exposure.anticipation_cleared), with no lead and outcome "cleared"', () => {
    const report = replay(input([event('FC', t(1), t(2), [], [{ siteId: 'S3', x: 1, days: 3, p: 0.4 }])], t(1), t(5)));
    expect(report.alerts.map(brief)).toEqual([
      '2024-01-01 sub-a SKU-A exposure.anticipated lead=null',
      '2024-01-01 sub-all SKU-A exposure.anticipated lead=null',
      '2024-01-02 sub-a SKU-A exposure.anticipation_cleared lead=null',
      '2024-01-02 sub-all SKU-A exposure.anticipation_cleared lead=null',
    ]);
    expect(report.alerts[0].outcome).toBe('cleared');
    expect(report.shortages).toEqual([]);
    expect(report.totals.off.alerts).toBe(0);
    expect(report.totals.on).toMatchObject({ alerts: 4, shortages: 0, shortagesWarned: 0, leadDays: { mean: null, median: null, min: null, max: null } });
  });

  it('is pending when the range ends before it clears or comes true', () => {
    const report = replay(input([event('FC', t(1), null, [], [{ siteId: 'S3', x: 1, days: 3, p: 0.4 }])], t(1), t(5)));
    expect(report.alerts.map((a) => a.outcome)).toEqual(['pending', 'pending']);
  });
});

describe('replay: the range', () => {
  it('starts an event already active at `from` at `from`, and drops events outside the range', () => {
    const report = replay(
      input(
        [
          event('BEFORE', t(1), t(2), [{ siteId: 'S1', x: 1, days: 10 }]),
          event('ACTIVE', '2023-12-20T00:00:00.000Z', null, [{ siteId: 'S1', x: 0.8, days: 10 }]),
          event('AFTER', t(20), null, [{ siteId: 'S3', x: 1, days: 3 }]),
        ],
        t(3),
        t(10),
      ),
    );
    expect(report.events.map((e) => e.id)).toEqual(['ACTIVE']);
    expect(report.alerts.map(brief)).toEqual([
      '2024-01-03 sub-a SKU-A exposure.created lead=7',
      '2024-01-03 sub-all SKU-A exposure.created lead=7',
      '2024-01-03 sub-all SKU-B exposure.created lead=3',
    ]);
  });

  it('answers an empty report for a range with no events', () => {
    const report = replay(input([], t(1), t(3)));
    expect(report).toMatchObject({ instants: 0, events: [], alerts: [], skus: [], shortages: [] });
    expect(report.days).toEqual([
      { day: '2024-01-01', off: 0, on: 0 },
      { day: '2024-01-02', off: 0, on: 0 },
      { day: '2024-01-03', off: 0, on: 0 },
    ]);
    expect(report.bySubscription.map((s) => [s.subscriptionId, s.on.alerts])).toEqual([
      ['sub-a', 0],
      ['sub-all', 0],
    ]);
  });

  it("ignores impacts on sites today's network does not have", () => {
    const report = replay(input([event('GONE', t(1), null, [{ siteId: 'S-closed-down', x: 1, days: 10 }])], t(1), t(3)));
    expect(report.alerts).toEqual([]);
    expect(report.events).toEqual([expect.objectContaining({ id: 'GONE', sites: 0 })]);
  });
});

describe('replay: alert types a subscription does not take', () => {
  it('are not sent, and what the subscription was told moves on as the live fan-out keeps it', () => {
    const report = replay({
      ...input([event('E1', t(1), t(20), [{ siteId: 'S1', x: 0.8, days: 10 }]), event('E2', t(5), t(8), [{ siteId: 'S3', x: 1, days: 3 }])]),
      subscriptions: [{ id: 'only-resolved', filters: { alertTypes: ['exposure.resolved'] } }],
    });
    expect(report.alerts.map(brief)).toEqual([
      '2024-01-20 only-resolved SKU-A exposure.resolved lead=null',
      '2024-01-20 only-resolved SKU-B exposure.resolved lead=null',
    ]);
  });
});

describe('replay: determinism', () => {
  const events = [
    event('E1', t(1), t(20), [{ siteId: 'S1', x: 0.8, days: 10 }]),
    event('FC', t(2), t(5), [], [{ siteId: 'S3', x: 1, days: 3, p: 0.6 }]),
    event('E2', t(5), t(8), [{ siteId: 'S3', x: 1, days: 3 }]),
    event('E3', t(5), null, [{ siteId: 'S2', x: 0.3, days: 4 }]),
  ];

  it('gives the same report for the same input, and whatever the order the events and subscriptions come in', () => {
    const first = replay(input(events));
    const again = replay(input(events));
    expect(again).toEqual(first);
    const shuffled = replay({ ...input([...events].reverse()), subscriptions: [...subscriptions].reverse() });
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(first));
    expect(first.alerts.length).toBeGreaterThan(0);
  });

  it('yields its progress instant by instant', () => {
    const steps = replaySteps(input(events));
    const seen: Array<[number, number]> = [];
    for (let next = steps.next(); !next.done; next = steps.next()) seen.push([next.value.done, next.value.total]);
    // Instants: Jan 1, 2, 5 (FC ends, E2 and E3 start), 8, 20.
    expect(seen).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
  });
});
