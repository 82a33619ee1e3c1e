import { parse } from 'csv-parse/sync';
import { csvCell, RECALL_SCOPE_COLUMNS, recallScopeCsv } from './recall-scope-csv';
import type { TraceEvent, TraceResult } from './trace.service';

const dl = (gtin: string, lot: string) => `https://id.gs1.org/01/${gtin}/10/${lot}`;
const event = (hash: string, siteId: string, supplierId: string | null, tier: number | null): TraceEvent => ({
  eventId: `urn:uuid:${hash}`,
  eventHash: `ni:///sha-256;${hash.padEnd(64, '0')}?ver=CBV2.0`,
  type: 'TransformationEvent',
  bizStep: 'https://ref.gs1.org/cbv/BizStep-commissioning',
  eventTime: '2023-03-01T08:00:00+01:00',
  site: { siteId, supplierId, tier },
});
const lotFacts = (gtin: string, lot: string) => ({ lotId: dl(gtin, lot), kind: 'lgtin', gtin, lot, serial: null });

// Ore (tier 3) → melt → part → product, the product a unit of two SKUs sharing its GTIN.
const trace: TraceResult = {
  lot: { ...lotFacts('04012345111118', 'L0'), origin: event('a1', 'R1', 'SUP-R', 3) },
  direction: 'forward',
  depth: 10,
  lots: [
    { ...lotFacts('04012345222227', 'L1'), depth: 1, via: dl('04012345111118', 'L0'), event: event('a1', 'R1', 'SUP-R', 3) },
    { ...lotFacts('04012345444445', 'L2'), depth: 2, via: dl('04012345222227', 'L1'), event: event('b2', 'M1', '=HYPERLINK("x")', 2) },
    { ...lotFacts('04012345123456', 'L3'), depth: 3, via: dl('04012345444445', 'L2'), event: null },
  ],
  skus: [
    { skuId: 'SKU-1', name: 'Widget', gtin: '04012345123456', lotIds: [dl('04012345123456', 'L3')] },
    { skuId: 'SKU-2', name: 'Widget XL', gtin: '04012345123456', lotIds: [dl('04012345123456', 'L3')] },
  ],
  truncated: false,
};

/** The file as an independent RFC 4180 reader (csv-parse) reads it: records of the header's columns. */
const readCsv = (text: string) => parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];

describe('recallScopeCsv', () => {
  const text = recallScopeCsv(trace);
  const records = readCsv(text);

  it('writes a header and one CRLF-ended row per lot, the traced lot first at depth 0 with its origin', () => {
    expect(text.split('\r\n')[0]).toBe(RECALL_SCOPE_COLUMNS.join(','));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(records.map((r) => [r.depth, r.lotId, r.via])).toEqual([
      ['0', dl('04012345111118', 'L0'), ''],
      ['1', dl('04012345222227', 'L1'), dl('04012345111118', 'L0')],
      ['2', dl('04012345444445', 'L2'), dl('04012345222227', 'L1')],
      ['3', dl('04012345123456', 'L3'), dl('04012345444445', 'L2')],
    ]);
    expect(records[0]).toMatchObject({ siteId: 'R1', supplierId: 'SUP-R', tier: '3', eventType: 'TransformationEvent', eventId: 'urn:uuid:a1' });
    expect(records[0].eventHash).toBe(`ni:///sha-256;a1${'0'.repeat(62)}?ver=CBV2.0`);
  });

  it('names every SKU a lot is a unit of, and leaves the event cells of an unlinked lot empty', () => {
    expect(records.map((r) => r.skuIds)).toEqual(['', '', '', 'SKU-1 SKU-2']);
    expect(records[3]).toMatchObject({ siteId: '', supplierId: '', tier: '', eventTime: '', eventHash: '' });
  });

  it('quotes what needs it and defuses text a spreadsheet would run as a formula', () => {
    expect(records[2].supplierId).toBe(`'=HYPERLINK("x")`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(' lead')).toBe('" lead"');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });
});
