import { DEFAULT_SEVERITY_POLICY } from '@tiersight/feed-formats';
import { FeedConfigError, parseFeedSources } from './feed-sources';
import { applySeverityOverride } from './severity-policy-config';

describe('feed source configuration', () => {
  it('applies defaults and keeps the order', () => {
    const sources = parseFeedSources(
      JSON.stringify([
        { id: 'usgs-week', format: 'usgs-geojson', url: 'https://earthquake.usgs.gov/x.geojson' },
        { id: 'nws', format: 'cap', url: 'https://api.weather.gov/alerts', intervalSeconds: 60, closeVanished: false },
      ]),
    );
    expect(sources).toEqual([
      { id: 'usgs-week', format: 'usgs-geojson', url: 'https://earthquake.usgs.gov/x.geojson', intervalSeconds: 300, closeVanished: true },
      { id: 'nws', format: 'cap', url: 'https://api.weather.gov/alerts', intervalSeconds: 60, closeVanished: false },
    ]);
  });

  it.each([
    ['not JSON', '[{', /FEEDS is not valid JSON/],
    ['not an array', '{"id":"a"}', /must be a JSON array/],
    ['an unknown format', '[{"id":"a","format":"rss","url":"https://x"}]', /FEEDS\[0\]\.format: format must be one of usgs-geojson, gdacs-rss/],
    ['a bad id', '[{"id":"A B","format":"cap","url":"https://x"}]', /FEEDS\[0\]\.id/],
    ['a non-http url', '[{"id":"a","format":"cap","url":"file:///etc/passwd"}]', /FEEDS\[0\]\.url: url must be an http\(s\) URL/],
    ['a too short interval', '[{"id":"a","format":"cap","url":"https://x","intervalSeconds":1}]', /intervalSeconds/],
    ['an unknown key', '[{"id":"a","format":"cap","url":"https://x","token":"t"}]', /FEEDS\[0\]\.token: .*should not exist/],
    ['a duplicate id', '[{"id":"a","format":"cap","url":"https://x"},{"id":"a","format":"cap","url":"https://y"}]', /"a" is used twice/],
    ['an entry that is not an object', '[1]', /FEEDS\[0\] must be an object/],
  ])('rejects %s with a message naming the entry', (_what, json, message) => {
    expect(() => parseFeedSources(json)).toThrow(FeedConfigError);
    expect(() => parseFeedSources(json)).toThrow(message);
  });

  it('names every problem at once', () => {
    expect(() => parseFeedSources('[{"id":"a","format":"x","url":"y"},{"id":"","format":"cap","url":"https://x"}]')).toThrow(
      /FEEDS\[0\]\.format.*FEEDS\[0\]\.url.*FEEDS\[1\]\.id/,
    );
  });
});

describe('severity policy override', () => {
  it('replaces only the values given', () => {
    const policy = applySeverityOverride({ usgs: { minMagnitude: 4.5, pagerAlert: { red: { severity: 1, durationDays: 120 } } } });
    expect(policy.usgs.minMagnitude).toBe(4.5);
    expect(policy.usgs.pagerAlert.red).toEqual({ severity: 1, durationDays: 120 });
    expect(policy.usgs.pagerAlert.orange).toEqual(DEFAULT_SEVERITY_POLICY.usgs.pagerAlert.orange);
    expect(policy.gdacs).toEqual(DEFAULT_SEVERITY_POLICY.gdacs);
    expect(DEFAULT_SEVERITY_POLICY.usgs.minMagnitude).toBe(2.5); // the default is not mutated
  });

  it('rejects unknown settings and wrong types, naming them', () => {
    expect(() => applySeverityOverride({ usgs: { minMagnitud: 4 } })).toThrow(/policy\.usgs\.minMagnitud is not a policy setting/);
    expect(() => applySeverityOverride({ usgs: { minMagnitude: '4' } })).toThrow(/policy\.usgs\.minMagnitude must be a number/);
    expect(() => applySeverityOverride({ gdacs: 'x' })).toThrow(/policy\.gdacs must be an object/);
    expect(() => applySeverityOverride({ cap: { statuses: 'Actual' } })).toThrow(/policy\.cap\.statuses must be an array/);
  });
});
