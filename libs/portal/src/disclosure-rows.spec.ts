import { checkDisclosureReferences, checkDisclosureShapes, disclosureCsvRows, DisclosureFacts } from './disclosure-rows';

const supplier = { ref: 'resin-co', name: 'Resin Co', country: 'KR', visibility: 'masked' };
const site = { ref: 'ulsan', supplierRef: 'resin-co', name: 'Ulsan plant', kind: 'plant', lat: 35.5, lon: 129.3, country: 'KR' };
const link = { fromSiteRef: 'ulsan', toSiteId: 'OWN-1', part: 'PA66', share: 0.7, bufferDays: 10, leadTimeDays: 14 };

describe('disclosure rows: shapes', () => {
  it('accepts a valid batch', () => {
    const { rows, errors } = checkDisclosureShapes({ suppliers: [supplier], sites: [site], links: [link] });
    expect(errors).toEqual([]);
    expect(rows.links).toHaveLength(1);
  });

  it.each([
    ['missing visibility', { suppliers: [{ ...supplier, visibility: undefined }] }, 'suppliers', 'visibility', /is required/],
    ['bad visibility', { suppliers: [{ ...supplier, visibility: 'secret' }] }, 'suppliers', 'visibility', /must be one of shared, masked/],
    ['lower-case country', { suppliers: [{ ...supplier, country: 'kr' }] }, 'suppliers', 'country', /alpha-2/],
    ['latitude 91', { sites: [{ ...site, lat: 91 }] }, 'sites', 'lat', /at most 90/],
    ['unknown kind', { sites: [{ ...site, kind: 'castle' }] }, 'sites', 'kind', /must be one of/],
    ['share 0', { links: [{ ...link, share: 0 }] }, 'links', 'share', /greater than 0/],
    ['negative buffer', { links: [{ ...link, bufferDays: -1 }] }, 'links', 'bufferDays', /at least 0/],
    ['two targets', { links: [{ ...link, toSiteRef: 'ulsan' }] }, 'links', 'toSiteId', /exactly one/],
    ['no target', { links: [{ ...link, toSiteId: undefined }] }, 'links', 'toSiteId', /exactly one/],
    ['unknown field', { sites: [{ ...site, colour: 'red' }] }, 'sites', 'colour', /unknown field/],
    ['inherited member as a field', { sites: [{ ...site, constructor: 'x' }] }, 'sites', 'constructor', /unknown field/],
    ['__proto__ as a field', { links: [JSON.parse(`{"__proto__":1,${JSON.stringify(link).slice(1)}`)] }, 'links', '__proto__', /unknown field/],
    ['ref with a quote', { suppliers: [{ ...supplier, ref: "a' OR 1=1" }] }, 'suppliers', 'ref', /may contain only/],
    ['duplicate ref', { suppliers: [supplier, supplier] }, 'suppliers', 'ref', /duplicate ref/],
  ])('%s', (_name, body, entity, field, message) => {
    const { errors } = checkDisclosureShapes(body);
    expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ entity, field, message: expect.stringMatching(message) })]));
  });

  it('refuses refs nested far too deep to turn into text, without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as unknown;
    const { errors } = checkDisclosureShapes({ suppliers: [{ ...supplier, ref: deep }], links: [{ ...link, part: deep }] });
    expect(errors.map((e) => `${e.entity}.${e.field}`).sort()).toEqual(['links.part', 'suppliers.ref']);
  });

  it('refuses a body that is not an object and unknown entities', () => {
    expect(checkDisclosureShapes([1]).errors[0]).toMatchObject({ entity: 'body' });
    expect(checkDisclosureShapes({ skus: [] }).errors[0]).toMatchObject({ entity: 'body', field: 'skus', message: expect.stringMatching(/unknown entity/) });
  });
});

describe('disclosure rows: CSV', () => {
  it('turns cells into typed rows with their line numbers, empty cells absent', () => {
    const text =
      'ref,supplierRef,name,kind,lat,lon,country,ttrDays\nulsan,resin-co,Ulsan plant,plant,35.5,129.3,KR,\n\n"busan",resin-co,"Busan, port",port,35.1,129.0,KR,21\n';
    const parsed = disclosureCsvRows('sites', text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { ref: 'ulsan', supplierRef: 'resin-co', name: 'Ulsan plant', kind: 'plant', lat: 35.5, lon: 129.3, country: 'KR' },
      { ref: 'busan', supplierRef: 'resin-co', name: 'Busan, port', kind: 'port', lat: 35.1, lon: 129, country: 'KR', ttrDays: 21 },
    ]);
    expect(parsed.lines).toEqual([2, 4]);
  });

  it('reports bad cells on their CSV line', () => {
    const parsed = disclosureCsvRows('links', 'fromSiteRef,toSiteId,part,share,bufferDays,leadTimeDays\nulsan,OWN-1,PA66,0.5,1,1\nulsan,OWN-1,PA12,lots,1,1\n');
    const { errors } = checkDisclosureShapes({ links: parsed.rows }, { links: parsed.lines });
    expect(errors).toEqual([{ entity: 'links', index: 1, line: 3, field: 'share', message: 'share must be a finite number' }]);
  });

  it('reports a broken file instead of throwing', () => {
    const parsed = disclosureCsvRows('suppliers', 'ref,name,country,visibility\na,"unterminated,KR,masked\n');
    expect(parsed.errors[0]).toMatchObject({ entity: 'suppliers', message: expect.stringMatching(/not a valid CSV file/) });
  });
});

describe('disclosure rows: references', () => {
  const facts = (over: Partial<DisclosureFacts> = {}): DisclosureFacts => ({
    suppliers: new Map(),
    sites: new Map(),
    parts: new Map(),
    targets: new Set(['OWN-1']),
    incoming: [],
    ...over,
  });
  const ids = {
    suppliers: new Map([['resin-co', 'SUP-x']]),
    sites: new Map([
      ['ulsan', 'S-u'],
      ['busan', 'S-b'],
    ]),
    parts: new Map([['PA66', 'P-66']]),
  };
  const rows = (over: object) => checkDisclosureShapes({ suppliers: [supplier], sites: [site], links: [link], ...over }).rows;

  it('resolves refs in the batch and sites of the owner by id', () => {
    expect(checkDisclosureReferences(rows({}), facts(), ids)).toEqual([]);
  });

  it('reads a site of anyone else exactly like one that does not exist', () => {
    const foreign = checkDisclosureReferences(rows({ links: [{ ...link, toSiteId: 'OTHER-SUPPLIER-SITE' }] }), facts(), ids);
    expect(foreign).toEqual([{ entity: 'links', index: 0, field: 'toSiteId', message: 'site does not exist' }]);
  });

  it('needs the supplier of a site and the origin of a link to be disclosed', () => {
    const errors = checkDisclosureReferences(rows({ suppliers: [], links: [{ ...link, fromSiteRef: 'nowhere' }] }), facts(), ids);
    expect(errors.map((e) => `${e.entity}.${e.field}`)).toEqual(['sites.supplierRef', 'links.fromSiteRef']);
  });

  it('counts stored shares into the same site and part, except the edge the batch replaces', () => {
    const stored = facts({ incoming: [{ fromSiteId: 'S-b', toSiteId: 'OWN-1', partId: 'P-66', share: 0.4 }] });
    expect(checkDisclosureReferences(rows({}), stored, ids)[0]).toMatchObject({ field: 'share', message: expect.stringMatching(/sum to 1.1/) });
    const replaced = facts({ incoming: [{ fromSiteId: 'S-u', toSiteId: 'OWN-1', partId: 'P-66', share: 0.9 }] });
    expect(checkDisclosureReferences(rows({}), replaced, ids)).toEqual([]);
  });

  it('refuses a site supplying itself', () => {
    const errors = checkDisclosureReferences(rows({ links: [{ ...link, toSiteId: undefined, toSiteRef: 'ulsan' }] }), facts(), ids);
    expect(errors[0]).toMatchObject({ message: 'a site cannot supply itself' });
  });
});
