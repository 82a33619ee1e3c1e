import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportPayload } from '@tiersight/contracts';
import { generateNetworkBatches } from './generate-network';
import { generateNetwork, writeNetworkCsv, writeNetworkJson } from './index';
import { CSV_COLUMNS } from './write-network';

const ENTITIES = ['suppliers', 'sites', 'parts', 'skus', 'supplies'] as const;
const NUMBER_COLUMNS = new Set(['lat', 'lon', 'ttrDays', 'baselineRisk', 'dailyRevenue', 'share', 'bufferDays', 'leadTimeDays']);

/** Reads a CSV directory back with csv-parse: empty cells are absent values, number columns are numbers. */
function readCsv(dir: string): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const entity of ENTITIES) {
    const text = readFileSync(join(dir, `${entity}.csv`), 'utf8');
    const [header] = parse(text, { to_line: 1 }) as string[][];
    expect(header).toEqual(CSV_COLUMNS[entity]);
    const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    out[entity] = records.map((record) =>
      Object.fromEntries(
        Object.entries(record)
          .filter(([, v]) => v !== '')
          .map(([k, v]) => [k, NUMBER_COLUMNS.has(k) ? Number(v) : v]),
      ),
    );
  }
  return out;
}

describe('network writers', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'demo-network-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes CSV files that read back to the same rows (csv-parse round trip)', async () => {
    const network = generateNetwork({ size: 'demo', seed: 42 });
    const unknown = ENTITIES.flatMap((entity) => network[entity].flatMap((row) => Object.keys(row).filter((k) => !CSV_COLUMNS[entity].includes(k))));
    expect(unknown).toEqual([]);
    await writeNetworkCsv(generateNetworkBatches({ size: 'demo', seed: 42 }, 100), join(dir, 'csv'));
    expect(readCsv(join(dir, 'csv'))).toEqual(network);
  });

  it('quotes cells with commas, quotes, line breaks and edge spaces', async () => {
    const payload: ImportPayload = {
      suppliers: [
        { id: 'S-1', name: 'Acme Castings Co., Ltd.', country: 'TW' },
        { id: 'S-2', name: 'The "Golden" Works', country: 'DE', ownerSupplierId: 'S-1', visibility: 'masked' },
        { id: 'S-3', name: 'Line\nbreak,  and trailing space ', country: 'US' },
      ],
      parts: [{ id: 'P-1', name: '"quoted"' }],
    };
    await writeNetworkCsv(payload, join(dir, 'tricky'));
    const back = readCsv(join(dir, 'tricky'));
    expect(back.suppliers).toEqual(payload.suppliers);
    expect(back.parts).toEqual(payload.parts);
    expect(back.sites).toEqual([]);
    expect(readFileSync(join(dir, 'tricky', 'suppliers.csv'), 'utf8')).toContain('"The ""Golden"" Works"');
  });

  it('streams one JSON file equal to the in-memory network, whether given batches or the payload', async () => {
    const network = generateNetwork({ size: 'demo', seed: 9 });
    await writeNetworkJson(generateNetworkBatches({ size: 'demo', seed: 9 }, 333), join(dir, 'a.json'));
    await writeNetworkJson(network, join(dir, 'b.json'));
    const text = readFileSync(join(dir, 'a.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(network);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe(text);
    await writeNetworkJson({}, join(dir, 'empty.json'));
    expect(JSON.parse(readFileSync(join(dir, 'empty.json'), 'utf8'))).toEqual({});
  });

  it('refuses batches out of entity order', async () => {
    const batches = [
      { entity: 'sites', rows: [] },
      { entity: 'suppliers', rows: [] },
    ] as never;
    await expect(writeNetworkJson(batches, join(dir, 'bad.json'))).rejects.toThrow(/suppliers rows came after sites/);
  });
});
