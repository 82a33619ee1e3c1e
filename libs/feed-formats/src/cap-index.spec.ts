import { parseCapIndex } from './cap-index';
import { readSample } from './testing/feed-fixtures';

const index = (file: string) => parseCapIndex(readSample('cap', file), { sourceId: 'test-feed' });

describe('parseCapIndex', () => {
  it('lists the alert links of the NWS Atom index', () => {
    const result = index('google-cap-library/weather_index.atom');
    expect(result.deadLetters).toEqual([]);
    expect(result.entries).toEqual([
      {
        ref: 'http://www.weather.gov/alerts-beta/wwacapget.php?x=CT20100831030400OKXAirQualityAlertOKX20100901031500CT',
        title: expect.stringMatching(/^Air Quality Alert issued August 30/),
        url: 'http://www.weather.gov/alerts-beta/wwacapget.php?x=CT20100831030400OKXAirQualityAlertOKX20100901031500CT',
        updated: '2010-08-30T23:04:00-04:00',
        embedsAlert: false,
      },
      expect.objectContaining({ url: 'http://www.weather.gov/alerts-beta/wwacapget.php?x=DC20100830203300LWXAirQualityAlertLWX20100901040000DC' }),
    ]);
  });

  it('prefers the link typed application/cap+xml over the HTML page', () => {
    expect(index('google-cap-library/earthquake_index.atom').entries.map((e) => e.url)).toEqual([
      'http://earthquake.usgs.gov/earthquakes/catalogs/cap/us2010apcd',
    ]);
  });

  it('reads RSS indexes (NY Alert, WMO Australia) and marks entries that also embed their alert', () => {
    expect(index('google-cap-library/ny_index.rss').entries.map((e) => e.ref)).toEqual(['NYAlert-ALLHAZALERT-3167113', 'NYAlert-ALLHAZALERT-3162202']);
    expect(index('kde-foss-public-alert-server/au-bom-en.rss.xml').entries).toEqual([
      expect.objectContaining({
        ref: 'AusBoM-IDW20100-2026-01-01T05:01:02+00:00',
        url: 'https://severeweather.wmo.int/v2/cap-alerts/au-bom-en/2026/01/01/05/01/02-dc6fc32e272f13d57f3fb683aa6bd3b8.xml',
      }),
    ]);
    expect(index('google-cap-library/weather.atom').entries).toEqual([expect.objectContaining({ embedsAlert: true })]);
  });

  it('reads an empty index as empty, and rejects entries with neither link nor alert', () => {
    expect(index('google-cap-library/empty_weather_index.atom')).toEqual({ entries: [], deadLetters: [] });
    for (const file of ['no_link.atom', 'no_id.atom', 'no_title.atom', 'invalid_element.atom', 'invalid.rss']) {
      const result = index(`google-cap-library/${file}`);
      expect(result.entries).toEqual([]);
      expect(result.deadLetters.map((d) => d.reason)).toEqual(['entry neither embeds a CAP alert nor links to one']);
    }
  });

  it('rejects documents that are not feeds', () => {
    expect(index('oasis-spec/oasis-cap12-severe-thunderstorm.xml').deadLetters.map((d) => d.reason)).toEqual([
      'root element <alert> is not an Atom <feed> or an RSS <rss>',
    ]);
    expect(parseCapIndex('<feed', { sourceId: 's' }).deadLetters[0].reason).toMatch(/^malformed XML/);
  });
});
