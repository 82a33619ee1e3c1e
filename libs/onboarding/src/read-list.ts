import { parse } from 'csv-parse/sync';
import { ValueType, Workbook, type Cell } from 'exceljs';
import { decodeText, startsWith, type TextEncoding } from './decode-text';
import { mapColumns, type ColumnMapping, type ExplicitMapping, type ListField, type MappingOptions } from './columns';
import { OnboardingError, OnboardingErrorCode } from './onboarding.error';

export type ListFormat = 'csv' | 'xlsx';

/** A cell the reader refused before any cleaning (a spreadsheet formula), with the reason. */
export interface RefusedCell {
  field: ListField;
  code: 'formula' | 'cell-error';
  message: string;
}

/** One data row as read: the mapped cells as text (absent when empty) and the cells refused. */
export interface ListRow {
  /** the row as a spreadsheet numbers it (the header is row 1) */
  row: number;
  cells: Partial<Record<ListField, string>>;
  refused: RefusedCell[];
}

export interface ReadList {
  format: ListFormat;
  /** how a CSV was decoded; null for XLSX */
  encoding: TextEncoding | null;
  /** the CSV delimiter found in the header line; null for XLSX */
  delimiter: string | null;
  /** the first worksheet's name; null for CSV */
  sheet: string | null;
  mapping: ColumnMapping;
  rows: ListRow[];
}

export interface ReadOptions extends MappingOptions {
  fileName?: string;
  mapping?: ExplicitMapping;
  /** more data rows than this are refused (TooManyRows) */
  maxRows: number;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** The OLE2 container of legacy .xls (and .doc) files. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0];
const PDF = [0x25, 0x50, 0x44, 0x46];
const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Longest cell kept (a longer one is cut): an address never needs more. */
const MAX_CELL = 2000;

/**
 * What exceljs's `load` is typed to take: a `Buffer` it re-declares as an ArrayBuffer, which
 * Node's generic Buffer type no longer matches. It is given a copy of the bytes as an
 * ArrayBuffer, which JSZip underneath reads as well.
 */
type XlsxData = Parameters<Workbook['xlsx']['load']>[0];

/**
 * Reads an uploaded supplier list, CSV or XLSX told apart by their bytes (not
 * the file name): the header row mapped to the list fields, each data row's
 * mapped cells as text. Blank rows are skipped. Throws OnboardingError for a
 * file that cannot be read at all; problems of single cells are the review's.
 */
export async function readList(bytes: Uint8Array, options: ReadOptions): Promise<ReadList> {
  if (bytes.length === 0) throw unreadable('the file is empty');
  if (startsWith(bytes, ZIP)) return readXlsx(bytes, options);
  if (startsWith(bytes, OLE2)) {
    throw new OnboardingError(OnboardingErrorCode.UnsupportedFormat, 'this is a legacy Excel (.xls) file: save it as .xlsx or CSV and upload that');
  }
  if (startsWith(bytes, PDF)) throw new OnboardingError(OnboardingErrorCode.UnsupportedFormat, 'this is a PDF: upload the list as CSV or XLSX');
  const decoded = decodeText(bytes);
  if (!decoded) throw new OnboardingError(OnboardingErrorCode.UnsupportedFormat, 'the file is neither text (CSV) nor an XLSX workbook');
  return readCsv(decoded.text, decoded.encoding, options);
}

function readCsv(text: string, encoding: TextEncoding, options: ReadOptions): ReadList {
  const delimiter = sniffDelimiter(text);
  let records: string[][];
  try {
    // Blank lines are kept (as rows without cells) so that rows are numbered as a spreadsheet shows them.
    records = parse(text, { delimiter, relax_column_count: true, bom: true }) as string[][];
  } catch (error) {
    throw unreadable(`the CSV cannot be parsed: ${(error as Error).message}`);
  }
  const headerIndex = records.findIndex((r) => r.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw unreadable('the file has no header row');
  checkRowCount(records.length - headerIndex - 1, options.maxRows);
  const mapping = mapColumns(records[headerIndex], options.mapping, options);
  const rows: ListRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i];
    const row = toRow(i + 1, mapping, (index) => record[index]);
    if (row) rows.push(row);
  }
  return { format: 'csv', encoding, delimiter, sheet: null, mapping, rows };
}

/** The delimiter seen most often in the header line outside quotes (a comma when none is). */
function sniffDelimiter(text: string): string {
  const firstLine = text
    .slice(0, Math.min(text.length, 64 * 1024))
    .split(/\r?\n/, 1)[0]
    .replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

async function readXlsx(bytes: Uint8Array, options: ReadOptions): Promise<ReadList> {
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(new Uint8Array(bytes).buffer as XlsxData);
  } catch (error) {
    throw unreadable(`the XLSX workbook cannot be opened: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0) throw unreadable('the workbook has no rows on its first sheet');
  let headerRow = 0;
  sheet.eachRow((r, n) => {
    if (headerRow === 0 && r.hasValues) headerRow = n;
  });
  checkRowCount(sheet.actualRowCount - 1, options.maxRows);
  const header = sheet.getRow(headerRow);
  const width = Math.max(header.cellCount, sheet.columnCount);
  const headerCells = Array.from({ length: width }, (_, i) => cellText(header.getCell(i + 1)).text ?? '');
  const mapping = mapColumns(headerCells, options.mapping, options);
  const rows: ListRow[] = [];
  sheet.eachRow((r, n) => {
    if (n <= headerRow) return;
    const refused: RefusedCell[] = [];
    const row = toRow(n, mapping, (index, field) => {
      const read = cellText(r.getCell(index + 1));
      if (read.refused) refused.push({ field, ...read.refused });
      return read.text;
    });
    if (row) rows.push({ ...row, refused });
    else if (refused.length > 0) rows.push({ row: n, cells: {}, refused });
  });
  return { format: 'xlsx', encoding: null, delimiter: null, sheet: sheet.name, mapping, rows };
}

/** A cell as text; a formula is refused with its reason, never evaluated (nor its cached result used). */
function cellText(cell: Cell): { text: string | null; refused?: Omit<RefusedCell, 'field'> } {
  const value = cell.value;
  if (value === null || value === undefined) return { text: null };
  switch (cell.type) {
    case ValueType.Formula: {
      const formula = (value as { formula?: string; sharedFormula?: string }).formula ?? (value as { sharedFormula?: string }).sharedFormula ?? '';
      return {
        text: null,
        refused: { code: 'formula', message: `cell ${cell.address} holds a formula (=${formula.slice(0, 60)}); formulas are not evaluated: type the value` },
      };
    }
    case ValueType.Error:
      return { text: null, refused: { code: 'cell-error', message: `cell ${cell.address} holds an error (${(value as { error: string }).error})` } };
    case ValueType.Date:
      return { text: (value as Date).toISOString().slice(0, 10) };
    case ValueType.RichText:
      return { text: (value as { richText: { text: string }[] }).richText.map((t) => t.text).join('') };
    case ValueType.Hyperlink:
      return { text: String((value as { text?: unknown }).text ?? '') };
    default:
      return { text: String(value) };
  }
}

function toRow(row: number, mapping: ColumnMapping, read: (index: number, field: ListField) => string | null | undefined): ListRow | null {
  const cells: Partial<Record<ListField, string>> = {};
  let any = false;
  for (const [field, index] of Object.entries(mapping.columns) as [ListField, number][]) {
    const text = read(index, field);
    if (text === null || text === undefined || text.trim() === '') continue;
    cells[field] = text.length > MAX_CELL ? text.slice(0, MAX_CELL) : text;
    any = true;
  }
  return any ? { row, cells, refused: [] } : null;
}

function checkRowCount(rows: number, max: number): void {
  if (rows > max) throw new OnboardingError(OnboardingErrorCode.TooManyRows, `the list has ${rows} rows; at most ${max} are read at once: split it`);
}

const unreadable = (message: string) => new OnboardingError(OnboardingErrorCode.UnreadableFile, message);
