import { ENTITY_ID_PATTERN, isEntityId, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { stableEventId } from './event-id';

describe('stableEventId', () => {
  it('joins a namespace and parts, replacing characters outside the id alphabet', () => {
    expect(stableEventId('cap', 'w-nws.webmaster@noaa.gov', 'urn:oid:2.49.0.1.840.0.abc')).toBe('cap:w-nws.webmaster_noaa.gov:urn:oid:2.49.0.1.840.0.abc');
    expect(stableEventId('cap', 'cfs', '9227922014-06-17T09:35:35+09:30')).toBe('cap:cfs:9227922014-06-17T09:35:35_09:30');
    expect(stableEventId('gdacs', 'EQ', '1457082')).toBe('gdacs:EQ:1457082');
  });

  it('hashes ids that would exceed 128 characters, deterministically and distinctly', () => {
    const sender = 'http://earthquake.usgs.gov/research/monitoring/anss/neic/';
    const a = stableEventId('cap', sender, `USGS-earthquakes-${'x'.repeat(80)}-1`);
    const b = stableEventId('cap', sender, `USGS-earthquakes-${'x'.repeat(80)}-2`);
    expect(a).toHaveLength(MAX_ENTITY_ID_LENGTH);
    expect(a).toMatch(ENTITY_ID_PATTERN);
    expect(a).not.toBe(b);
    expect(a).toBe(stableEventId('cap', sender, `USGS-earthquakes-${'x'.repeat(80)}-1`));
    expect(a.slice(0, 40)).toBe(`cap:${sender}`.slice(0, 40));
  });

  it('keeps non-ASCII letters, which the id rule allows', () => {
    expect(isEntityId(stableEventId('cap', 'météo', 'Ветер-1'))).toBe(true);
  });
});
