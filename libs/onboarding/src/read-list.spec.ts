import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'iconv-lite';
import { Workbook } from 'exceljs';
import { decodeText } from './decode-text';
import { OnboardingError, OnboardingErrorCode } from './onboarding.error';
import { readList } from './read-list';

const OSH_RAW = join(__dirname, '..', '..', '..', 'fixtures', 'open-supply-hub', 'facility_lists_raw');
const read = (bytes: Uint8Array, maxRows = 1000, mapping = {}) => readList(bytes, { maxRows, mapping });
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OnboardingError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decodeText', () => {
  const text = 'name,city\nMüller Stoffe,São Paulo\n';

  it('reads UTF-8, with or without a byte-order mark', () => {
    expect(decodeText(utf8(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]))).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('reads Windows-1252 when the bytes are not UTF-8 (Excel on Windows)', () => {
    const bytes = new Uint8Array(encode('name,city\nMüller Stoffe – Nº 3,São Paulo\n', 'win1252'));
    expect(decodeText(bytes)).toEqual({ text: 'name,city\nMüller Stoffe – Nº 3,São Paulo\n', encoding: 'windows-1252' });
  });

  it('reads UTF-16 with its mark, and takes bytes with NUL and no mark for no text', () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(new Uint8Array([0x41, 0x00, 0x42, 0x00]))).toBeNull();
  });
});

describe('readList: CSV', () => {
  it('reads an Open Supply Hub list with its rows numbered as a spreadsheet numbers them', async () => {
    const list = await read(new Uint8Array(readFileSync(join(OSH_RAW, '12.csv'))));
    expect(list).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', sheet: null });
    expect(list.mapping.headers).toEqual({ country: 'country', name: 'name', address: 'address', sector: 'sector' });
    expect(list.rows).toHaveLength(15);
    expect(list.rows[0]).toEqual({
      row: 2,
      cells: { country: 'Peru', name: 'Bergman Riveria - Serflex S.A.C.', address: 'Av Universitaria 3855 - San Martin De Porres Lima', sector: 'Apparel' },
      refused: [],
    });
  });

  it('reads a Windows-1252 file with semicolons and a BOM-less header, skipping blank rows', async () => {
    const bytes = new Uint8Array(
      encode('Firmenname;Anschrift;Land\r\nMüller GmbH;Hauptstraße 5, Köln;Deutschland\r\n;;\r\n\r\nCafé Sàrl;Rue du Lac 2, Genève;Schweiz\r\n', 'win1252'),
    );
    const list = await read(bytes);
    expect(list).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(list.rows.map((r) => [r.row, r.cells.name, r.cells.address])).toEqual([
      [2, 'Müller GmbH', 'Hauptstraße 5, Köln'],
      [5, 'Café Sàrl', 'Rue du Lac 2, Genève'],
    ]);
  });

  it('keeps a CSV formula as text for the review to refuse (the place engine names it)', async () => {
    const list = await read(utf8('name,address\n"=HYPERLINK(""http://x"")",Road 1\n'));
    expect(list.rows[0].cells.name).toBe('=HYPERLINK("http://x")');
  });

  it.each([
    ['an empty file', new Uint8Array(), OnboardingErrorCode.UnreadableFile],
    ['a legacy .xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), OnboardingErrorCode.UnsupportedFormat],
    ['a PDF', utf8('%PDF-1.7\n...'), OnboardingErrorCode.UnsupportedFormat],
    ['binary bytes', new Uint8Array([1, 0, 2, 0, 3]), OnboardingErrorCode.UnsupportedFormat],
    ['broken quoting', utf8('name,address\n"Acme,Road 1\nOther,"x"y\n'), OnboardingErrorCode.UnreadableFile],
    ['no name column', utf8('address,country\nRoad 1,DE\n'), OnboardingErrorCode.UnreadableFile],
    ['a corrupt XLSX', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]), OnboardingErrorCode.UnreadableFile],
  ])('refuses %s', async (_what, bytes, code) => {
    expect(await refusal(read(bytes))).toBe(code);
  });

  it('refuses more rows than the limit, before mapping them', async () => {
    const csv = ['name', ...Array.from({ length: 11 }, (_, i) => `Plant ${i}`)].join('\n');
    expect(await refusal(read(utf8(csv), 10))).toBe(OnboardingErrorCode.TooManyRows);
    expect((await read(utf8(csv), 11)).rows).toHaveLength(11);
  });
});

describe('readList: XLSX', () => {
  async function workbook(rows: unknown[][], build?: (sheet: import('exceljs').Worksheet) => void): Promise<Uint8Array> {
    const wb = new Workbook();
    const sheet = wb.addWorksheet('Suppliers');
    for (const row of rows) sheet.addRow(row);
    build?.(sheet);
    return new Uint8Array(await wb.xlsx.writeBuffer());
  }

  it('reads the first sheet, refusing formula cells one by one with the reason and never using their results', async () => {
    const bytes = await workbook(
      [
        ['Supplier name', 'Address', 'Postal code', 'Country'],
        ['Crispim Abreu', 'Rua de Sao Bartolomeu, Serzedelo', 4765, 'Portugal'],
        ['Formula Works', null, null, 'Portugal'],
      ],
      (sheet) => {
        sheet.getCell('B3').value = { formula: 'CONCATENATE("Rua ","1")', result: 'Rua 1' };
        sheet.getCell('A4').value = { richText: [{ text: 'Rich ' }, { text: 'Text Lda', font: { bold: true } }] };
        sheet.getCell('D4').value = { formula: 'D2', result: 'Portugal' };
      },
    );
    const list = await read(bytes);
    expect(list).toMatchObject({ format: 'xlsx', encoding: null, sheet: 'Suppliers' });
    expect(list.rows).toEqual([
      { row: 2, cells: { name: 'Crispim Abreu', address: 'Rua de Sao Bartolomeu, Serzedelo', postalCode: '4765', country: 'Portugal' }, refused: [] },
      {
        row: 3,
        cells: { name: 'Formula Works', country: 'Portugal' },
        refused: [{ field: 'address', code: 'formula', message: expect.stringContaining('cell B3 holds a formula (=CONCATENATE') }],
      },
      { row: 4, cells: { name: 'Rich Text Lda' }, refused: [{ field: 'country', code: 'formula', message: expect.stringContaining('cell D4') }] },
    ]);
  });

  it('refuses a workbook whose first sheet has no name column', async () => {
    expect(await refusal(read(await workbook([['Adresse'], ['Road 1']])))).toBe(OnboardingErrorCode.UnreadableFile);
  });
});
