import { checkDisclosureShapes, disclosureCsvRows } from './disclosure-rows';

describe('disclosed sites with a GS1 location id', () => {
  it('takes a gln column from CSV and reports a bad GLN on its line', () => {
    const text =
      'ref,supplierRef,name,kind,lat,lon,country,gln\nulsan,resin-co,Ulsan,plant,35.5,129.3,KR,urn:epc:id:sgln:4012345.00001.0\nbusan,resin-co,Busan,port,35.1,129.0,KR,4012345000017\n';
    const parsed = disclosureCsvRows('sites', text);
    expect(parsed.rows[0].gln).toBe('urn:epc:id:sgln:4012345.00001.0');
    const { rows, errors } = checkDisclosureShapes({ sites: parsed.rows }, { sites: parsed.lines });
    expect(rows.sites).toHaveLength(1);
    expect(errors).toEqual([{ entity: 'sites', index: 1, line: 3, field: 'gln', message: expect.stringContaining('check digit') }]);
  });
});
