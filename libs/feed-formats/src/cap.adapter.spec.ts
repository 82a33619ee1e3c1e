import { containsLocation } from '@tiersight/geo-engine';
import { capAdapter } from './cap.adapter';
import { chooseInfos } from './cap-alert';
import { readCapAlert } from './cap-reader';
import { parseXmlDocument, rootElement } from './xml';
import { closes, expectSample, expectWellFormed, feedContext, readSample, sampleFiles, upserts } from './testing/feed-fixtures';
import type { SampleExpectation } from './testing/feed-fixtures';

const parse = (document: string | Buffer) => capAdapter.parse(document, feedContext());
const sample = (file: string) => parse(readSample('cap', file));

const G = 'google-cap-library/';
const K = 'kde-foss-public-alert-server/';
const NO_GEOMETRY = /^no usable geometry and no country: areas given only by name or geocode/;
const INDEX = /^a CAP index: \d+ entr(y links|ies link) to alerts without embedding them/;
const NOT_AN_ALERT = /not a CAP alert|without CAP alert properties/;

/** Every file under fixtures/feeds/cap, with what it must give. */
const EXPECTED: Record<string, SampleExpectation> = {
  [`${G}amber.atom`]: { kind: 'skipped', reason: /category Rescue is skipped/ },
  [`${G}australia.cap`]: { kind: 'events', upserts: 1 },
  [`${G}canada.cap`]: { kind: 'events', closes: 1 }, // Update with responseType AllClear
  [`${G}canada_errors.cap`]: { kind: 'rejected', reason: /<references> is present but empty/ },
  [`${G}canada_signed.atom`]: { kind: 'events', upserts: 1 },
  [`${G}canada_signed.cap`]: { kind: 'events', upserts: 1 },
  [`${G}earthquake-iso8859-1.cap`]: { kind: 'events', upserts: 1 },
  [`${G}earthquake.cap`]: { kind: 'events', upserts: 1 },
  [`${G}earthquake_index.atom`]: { kind: 'rejected', reason: INDEX },
  [`${G}earthquake_signed.cap`]: { kind: 'events', upserts: 1 },
  [`${G}empty_weather_index.atom`]: { kind: 'empty' },
  [`${G}invalid.cap`]: { kind: 'rejected', reason: /missing required <scope>/ },
  [`${G}invalid.rss`]: { kind: 'rejected', reason: /entry neither embeds a CAP alert nor links to one/ },
  [`${G}invalid_element.atom`]: { kind: 'rejected', reason: /entry neither embeds a CAP alert nor links to one/ },
  [`${G}no_entries.atom`]: { kind: 'rejected', reason: /outside any Atom <entry> is foreign markup/ },
  [`${G}no_id.atom`]: { kind: 'rejected', reason: /entry neither embeds a CAP alert nor links to one/ },
  [`${G}no_link.atom`]: { kind: 'rejected', reason: /entry neither embeds a CAP alert nor links to one/ },
  [`${G}no_optional_fields.cap`]: { kind: 'rejected', reason: /alert has no <info> block/ },
  [`${G}no_title.atom`]: { kind: 'rejected', reason: /entry neither embeds a CAP alert nor links to one/ },
  [`${G}noaa_errors.cap`]: { kind: 'rejected', reason: /<references> is present but empty/ },
  [`${G}ny_index.rss`]: { kind: 'rejected', reason: INDEX },
  [`${G}validator-examples-amber.rss`]: { kind: 'rejected', reason: INDEX },
  [`${G}validator-examples-earthquake.atom`]: { kind: 'events', upserts: 1 },
  [`${G}validator-examples-thunderstorm.cap`]: { kind: 'events', upserts: 1 },
  [`${G}validator-war-43b080713727.cap`]: { kind: 'rejected', reason: NO_GEOMETRY },
  [`${G}validator-war-KAR0-0306112239-SW.cap`]: { kind: 'skipped', reason: /category Rescue is skipped/ },
  [`${G}wcatwc-warning.cap`]: { kind: 'rejected', reason: NO_GEOMETRY },
  [`${G}weather.atom`]: { kind: 'rejected', reason: NO_GEOMETRY },
  [`${G}weather.cap`]: { kind: 'rejected', reason: NO_GEOMETRY },
  [`${G}weather_index.atom`]: { kind: 'rejected', reason: INDEX },
  [`${G}weather_invalid.atom`]: { kind: 'rejected', reason: /<identifier> "INVALID," contains a space, comma/ },
  [`${G}xee.atom`]: { kind: 'rejected', reason: /^DTD\/entities not allowed$/ },
  [`${G}xee.cap`]: { kind: 'rejected', reason: /^DTD\/entities not allowed$/ },
  [`${K}alertswiss-POA-1216107687-4.json`]: { kind: 'rejected', reason: NOT_AN_ALERT }, // Alertswiss native JSON
  [`${K}alertswiss-POA-1216107687-4.xml`]: { kind: 'events', upserts: 1 },
  [`${K}alertswiss-POA-1222963954-5.json`]: { kind: 'rejected', reason: NOT_AN_ALERT },
  [`${K}alertswiss-POA-1222963954-5.xml`]: { kind: 'events', upserts: 1 },
  [`${K}alertswiss-TEST-1163.json`]: { kind: 'rejected', reason: NOT_AN_ALERT },
  [`${K}alertswiss-TEST-1163.xml`]: { kind: 'skipped', reason: /status Test/ },
  [`${K}au-bom-en.rss.xml`]: { kind: 'rejected', reason: INDEX },
  [`${K}gdacs-cap_1001150.xml`]: { kind: 'events', upserts: 1 },
  [`${K}gdacs-cap_1023542.xml`]: { kind: 'events', upserts: 1 },
  [`${K}gdacs-cap_1470644.xml`]: { kind: 'events', upserts: 1 },
  [`${K}ie-2.49.0.1.372.0.250413231648.N_Norm002_SmallCraft.xml`]: { kind: 'events', upserts: 1 }, // geocodes only: matched by country (IE)
  [`${K}il-488abaaf-cad5-4d2b-93b2-703016878453.xml`]: { kind: 'events', upserts: 1 }, // geocodes only: matched by country (IL)
  [`${K}kz-2.49.0.0.398.0-20250306-133701-0284797-00-EN.xml`]: { kind: 'events', upserts: 1 },
  [`${K}mo-cap_monsoon.xml`]: { kind: 'events', closes: 1 }, // Update with responseType AllClear
  [`${K}mow.DE-HE-KS-SE106-20250313-106-001.geojson`]: { kind: 'rejected', reason: NOT_AN_ALERT }, // the alert's area layer
  [`${K}mow.DE-HE-KS-SE106-20250313-106-001.json`]: { kind: 'events', closes: 1 }, // CAP-JSON Cancel
  [`${K}mow.DE-HE-KS-SE106-20250313-106-001.xml`]: { kind: 'events', closes: 1 }, // Cancel
  [`${K}noaa-2.49.0.1.840.0.9b5195e635069329b12a7c697fad5934d144784a.001.1.xml`]: { kind: 'events', upserts: 1 },
  [`${K}noaa-2.49.0.1.840.0.bde6c30c43ead9c23c42bea7977652a7de76d87d.002.1.xml`]: { kind: 'events', upserts: 1 },
  [`${K}ru-20250301222516-0086037.xml`]: { kind: 'events', upserts: 1 },
  ['nws-api-geojson/pynws-alerts_active_zone.json']: { kind: 'rejected', reason: NO_GEOMETRY }, // zone-based, geometry null
  ['nws-api-geojson/pynws-alerts_active_zone_second.json']: { kind: 'rejected', reason: NO_GEOMETRY },
  ['oasis-spec/oasis-cap12-homeland-security-advisory.xml']: { kind: 'rejected', reason: NO_GEOMETRY },
  ['oasis-spec/oasis-cap12-severe-thunderstorm.xml']: { kind: 'events', upserts: 1 },
};

describe('cap adapter on every sample file', () => {
  it('has an expectation for every sample file', () => {
    expect(sampleFiles('cap')).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(sampleFiles('cap'))('%s', (file) => {
    expectSample(sample(file), EXPECTED[file]);
  });
});

describe('cap adapter, hand-checked', () => {
  it('closes the alert referenced by the MoWaS Cancel with 9 <info> blocks (XML and CAP-JSON alike)', () => {
    const expected = [
      {
        eventId: 'cap:DE-HE-KS-SE106:mow.DE-HE-KS-SE106-20250313-106-000',
        reason: 'CAP Cancel DE-HE-KS-SE106,mow.DE-HE-KS-SE106-20250313-106-001 of DE-HE-KS-SE106,mow.DE-HE-KS-SE106-20250313-106-000',
      },
    ];
    const xml = readSample('cap', `${K}mow.DE-HE-KS-SE106-20250313-106-001.xml`);
    expect(xml.toString('utf8').match(/<info>/g)).toHaveLength(9);
    expect(closes(parse(xml))).toEqual(expected);
    expect(closes(sample(`${K}mow.DE-HE-KS-SE106-20250313-106-001.json`))).toEqual(expected);
  });

  it('turns the NWS High Wind Watch with 212 polygons into a MultiPolygon under the original alert id', () => {
    const [event] = upserts(sample(`${K}noaa-2.49.0.1.840.0.9b5195e635069329b12a7c697fad5934d144784a.001.1.xml`));
    expect(event).toMatchObject({
      id: 'cap:w-nws.webmaster_noaa.gov:urn:oid:2.49.0.1.840.0.f3549eda4cd4f74f2e1996ac7427d873548ba832.001.1', // the Update's reference
      type: 'storm',
      country: 'US',
      severity: 0.24, // Severe 0.6 × Possible 0.5 × Future 0.8
      expectedDurationDays: 7,
      startsAt: '2025-03-07T12:00:00.000Z', // onset
      expiresAt: '2025-03-08T00:00:00.000Z', // eventEndingTime, not the message's <expires>
      geometry: { type: 'MultiPolygon' },
    });
    expect(event.geometry.type === 'MultiPolygon' && event.geometry.coordinates).toHaveLength(212);
    const longest = event.geometry.type === 'MultiPolygon' ? Math.max(...event.geometry.coordinates.map((p) => p[0].length)) : 0;
    expect(longest).toBe(34066);
  });

  it('decodes an ISO-8859-1 document by its XML declaration and sizes a zero-radius earthquake circle by magnitude', () => {
    const bytes = readSample('cap', `${G}earthquake-iso8859-1.cap`);
    expect(bytes.includes(Buffer.from([0x55, 0x73, 0x75, 0x6c, 0x75, 0x74, 0xe1, 0x6e]))).toBe(true); // "Usulután" in latin-1
    const [event] = upserts(parse(bytes));
    expect(event.title).toBe('EQ 4.6 Usulután, Usulután, El Salvador - PRELIMINARY REPORT');
    expect(event).toMatchObject({ type: 'earthquake', geometry: { type: 'Point', coordinates: [-88.783, 12.747] } });
    expect(event.geometry.type === 'Point' && event.geometry.radiusKm).toBeCloseTo(10 ** (0.5 * 4.6 - 1.5), 6); // <circle> radius 0.0, Magnitude 4.6
  });

  it('reads a <circle> with a radius, the cap: prefix and an ISO 3166 geocode (NSW fire)', () => {
    expect(upserts(sample(`${G}australia.cap`))[0]).toMatchObject({
      id: 'cap:webmaster_rfs.nsw.gov.au:tag:www.rfs.nsw.gov.au2011-10-06:40184',
      type: 'fire',
      country: 'AU',
      severity: 0.1,
      geometry: { type: 'Point', coordinates: [147.0598, -35.3888], radiusKm: 25 },
      expiresAt: '2011-10-06T13:04:00.000Z',
    });
  });

  it('upserts an Update under the earliest referenced alert (the thread original)', () => {
    const [event] = upserts(sample(`${G}canada_signed.cap`));
    expect(event.id).toBe('cap:cap-pac_ec.gc.ca:2.49.0.1.124.726d2331.2013');
    expect(event).toMatchObject({ country: 'CA', title: 'snowfall warning', type: 'storm' });
  });

  it('picks the English info of a multi-language alert (Macau zh/pt/en, Israel en/he)', () => {
    const infos = (file: string) => {
      const root = rootElement(parseXmlDocument(readSample('cap', file)));
      return chooseInfos(readCapAlert(root?.node ?? {}).infos);
    };
    expect(infos(`${K}mo-cap_monsoon.xml`).map((i) => [i.language, i.event])).toEqual([['en-US', 'STRONG MONSOON SIGNAL']]);
    expect(infos(`${K}il-488abaaf-cad5-4d2b-93b2-703016878453.xml`).map((i) => i.language)).toEqual(['en-GB']);
    // Geocode-only (South Judea Desert…): the whole issuing country is the area.
    const israel = upserts(sample(`${K}il-488abaaf-cad5-4d2b-93b2-703016878453.xml`));
    expect(israel.map((e) => [e.country, e.geometry])).toEqual([['IL', { type: 'Country', countries: ['IL'] }]]);
    expect(infos(`${K}ru-20250301222516-0086037.xml`).map((i) => i.language)).toEqual(['ru']); // no English: the first language
  });

  it('keeps GDACS CAP polygons that cross the antimeridian and tolerates a stray bracket in a coordinate', () => {
    const cyclone = upserts(sample(`${K}gdacs-cap_1001150.xml`))[0];
    expect(cyclone.geometry.type === 'MultiPolygon' && cyclone.geometry.coordinates).toHaveLength(2);
    const quake = upserts(sample(`${K}gdacs-cap_1470644.xml`))[0];
    const lons = quake.geometry.type === 'Polygon' ? quake.geometry.coordinates[0].map((p) => p[0]) : [];
    expect(Math.min(...lons)).toBeLessThan(-180);
    expect(upserts(sample(`${K}gdacs-cap_1023542.xml`))[0].type).toBe('fire');
  });

  it('reads an alert embedded in an Atom entry and derives the country from the WMO OID in its identifier', () => {
    expect(upserts(sample(`${G}canada_signed.atom`))[0]).toMatchObject({ id: 'cap:cap-pac_ec.gc.ca:2.49.0.1.124.726d2331.2013', country: 'CA' });
    expect(upserts(sample(`${K}kz-2.49.0.0.398.0-20250306-133701-0284797-00-EN.xml`))[0].country).toBe('KZ');
  });
});

describe('cap adapter on built variants', () => {
  const thunderstorm = readSample('cap', 'oasis-spec/oasis-cap12-severe-thunderstorm.xml').toString('utf8');

  it('closes every alert a Cancel references and rejects a Cancel without references', () => {
    const cancel = thunderstorm.replace(
      '<msgType>Alert</msgType>',
      '<msgType>Cancel</msgType><references>KSTO@NWS.NOAA.GOV,KSTO1055887200,2003-06-17T14:00:00-07:00 KSTO@NWS.NOAA.GOV,KSTO1055887201,2003-06-17T14:30:00-07:00</references>',
    );
    expect(closes(parse(cancel)).map((c) => c.eventId)).toEqual(['cap:KSTO_NWS.NOAA.GOV:KSTO1055887200', 'cap:KSTO_NWS.NOAA.GOV:KSTO1055887201']);
    const bare = parse(thunderstorm.replace('<msgType>Alert</msgType>', '<msgType>Cancel</msgType>'));
    expect(bare.deadLetters.map((d) => d.reason)).toEqual(['Cancel without <references>: nothing to cancel']);
  });

  it('keeps the valid alerts of an Atom feed when one entry is broken', () => {
    const alert = /<alert[\s\S]*<\/alert>/.exec(thunderstorm)?.[0] ?? '';
    const entry = (a: string) => `<entry><id>x</id><title>t</title><content type="text/xml">${a}</content></entry>`;
    const feed = `<feed xmlns="http://www.w3.org/2005/Atom">${entry(alert)}${entry(alert.replace(/<polygon>[^<]*/, '<polygon>38.47,-120.14 91,0 38.47,-120.14'))}</feed>`;
    const result = parse(feed);
    expectWellFormed(result);
    expect(upserts(result)).toHaveLength(1);
    expect(result.deadLetters.map((d) => d.reason)).toEqual(['invalid CAP alert: malformed <polygon>: "91,0" is not "latitude,longitude" in range']);
  });

  it('mixes circles and polygons into one MultiPolygon', () => {
    const mixed = thunderstorm.replace('</polygon>', '</polygon><circle>38.5,-120.0 10</circle><circle>37.0,-119.0 0</circle>');
    const [event] = upserts(parse(mixed));
    expect(event.geometry.type === 'MultiPolygon' && event.geometry.coordinates).toHaveLength(3);
    expect(containsLocation(event.geometry, 38.5, -120.0)).toBe(true); // centre of the 10 km circle
    expect(containsLocation(event.geometry, 38.5 + 0.085, -120.0)).toBe(true); // 9.5 km north
    expect(containsLocation(event.geometry, 38.5 + 0.095, -120.0)).toBe(false); // 10.6 km north
    expect(containsLocation(event.geometry, 37.0 + 0.08, -119.0)).toBe(true); // radius 0 → policy pointRadiusKm 10
  });
});
