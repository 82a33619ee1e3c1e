import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapterFor, DEFAULT_SEVERITY_POLICY } from '@tiersight/feed-formats';
import { eventsFromDocuments } from './document-events';

const USGS = join(__dirname, '../../../fixtures/feeds/usgs');
const real = readFileSync(join(USGS, 'usgs-significant_month-2023-10-11.geojson'), 'utf8');
const DAY_MS = 86_400_000;
const options = { from: '2023-10-01T00:00:00.000Z', policy: DEFAULT_SEVERITY_POLICY };

/** A USGS summary document of hand-made features. */
const usgs = (features: object[]) => JSON.stringify({ type: 'FeatureCollection', metadata: { generated: 0 }, features });
const quake = (id: string, time: number, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  id,
  properties: { mag: 6.1, time, updated: time, alert: 'orange', status: 'reviewed', type: 'earthquake', title: `M 6.1 ${id}`, ...extra },
  geometry: { type: 'Point', coordinates: [62, 34.5, 10] },
});

describe('events of uploaded feed documents', () => {
  it('reads a real USGS document with the feed adapter, each quake from its origin time for its expected duration', () => {
    const { versions, rejected, skipped } = eventsFromDocuments([{ format: 'usgs-geojson', content: real }], options);
    const parsed = adapterFor('usgs-geojson').parse(real, { sourceId: 'x', receivedAt: new Date(options.from), policy: DEFAULT_SEVERITY_POLICY });
    const events = parsed.items.flatMap((i) => (i.action === 'upsert' ? [i.event] : []));
    expect(versions).toHaveLength(events.length);
    expect(versions.length).toBe(18); // every feature of the month is significant
    expect(rejected).toEqual([]);
    expect(skipped).toEqual([]);
    const herat = versions.find((v) => v.id === 'usgs:us6000len8')!;
    const event = events.find((e) => e.id === 'usgs:us6000len8')!;
    expect(herat.startsAt).toBe(new Date(1696984916160).toISOString()); // the quake's own time
    expect(Date.parse(herat.endsAt!) - Date.parse(herat.startsAt)).toBe(event.expectedDurationDays * DAY_MS);
    expect(herat).toMatchObject({ type: 'earthquake', severity: event.severity, geometry: event.geometry, forecast: null });
    // Versions come in event id order.
    expect(versions.map((v) => v.id)).toEqual([...versions.map((v) => v.id)].sort());
  });

  it("lists a document the adapter cannot read as rejected, with the adapter's reason, and replays the rest", () => {
    const broken = '{"type": "FeatureCollection", "features": [';
    const { versions, rejected } = eventsFromDocuments(
      [
        { format: 'usgs-geojson', content: broken },
        { format: 'usgs-geojson', content: usgs([quake('ok1', Date.parse('2023-10-02T00:00:00Z')), { type: 'Feature', id: 'bad1', properties: { time: 1 } }]) },
      ],
      options,
    );
    expect(versions.map((v) => v.id)).toEqual(['usgs:ok1']);
    const own = adapterFor('usgs-geojson').parse(broken, { sourceId: 'x', receivedAt: new Date(), policy: DEFAULT_SEVERITY_POLICY }).deadLetters[0].reason;
    expect(rejected).toEqual([
      { document: 0, itemRef: null, reason: own },
      { document: 1, itemRef: 'bad1', reason: expect.stringMatching(/geometry|Point/) },
    ]);
  });

  it('lists what the severity policy skips', () => {
    const { versions, skipped } = eventsFromDocuments(
      [{ format: 'usgs-geojson', content: usgs([quake('tiny', Date.parse('2023-10-02T00:00:00Z'), { mag: 2.1, alert: null })]) }],
      options,
    );
    expect(versions).toEqual([]);
    expect(skipped).toEqual([{ document: 0, itemRef: 'tiny', reason: expect.stringMatching(/below the policy minimum/) }]);
  });

  it('replaces a version given again at the same time by the later document, and ends an event a later document deletes', () => {
    const time = Date.parse('2023-10-02T00:00:00Z');
    const { versions } = eventsFromDocuments(
      [
        { format: 'usgs-geojson', content: usgs([quake('q', time, { alert: 'yellow' })]) },
        { format: 'usgs-geojson', content: usgs([quake('q', time, { alert: 'red', updated: time + 5 })]), receivedAt: '2023-10-02T06:00:00Z' },
        { format: 'usgs-geojson', content: usgs([quake('q', time, { status: 'deleted', updated: time + 9 })]), receivedAt: '2023-10-03T00:00:00Z' },
      ],
      options,
    );
    expect(versions).toHaveLength(1);
    expect(versions[0].severity).toBe(DEFAULT_SEVERITY_POLICY.usgs.pagerAlert.red.severity);
    expect(versions[0]).toMatchObject({ startsAt: '2023-10-02T00:00:00.000Z', endsAt: '2023-10-03T00:00:00.000Z' });
  });

  it("changes an event at each of its versions' times: a version lasts until the next one", () => {
    const time = Date.parse('2023-10-02T00:00:00Z');
    const later = time + 3_600_000;
    const { versions } = eventsFromDocuments(
      [
        { format: 'usgs-geojson', content: usgs([quake('q', later, { alert: 'red', updated: later })]) },
        { format: 'usgs-geojson', content: usgs([quake('q', time, { alert: 'yellow' })]) },
      ],
      options,
    );
    const red = DEFAULT_SEVERITY_POLICY.usgs.pagerAlert.red;
    expect(versions.map((v) => [v.startsAt, v.endsAt, v.severity])).toEqual([
      ['2023-10-02T00:00:00.000Z', '2023-10-02T01:00:00.000Z', DEFAULT_SEVERITY_POLICY.usgs.pagerAlert.yellow.severity],
      ['2023-10-02T01:00:00.000Z', new Date(later + red.durationDays * DAY_MS).toISOString(), red.severity],
    ]);
  });
});
