import { parse } from 'csv-parse/sync';
import type { ImportEntity } from '@tiersight/contracts';
import { ROW_RULES } from './row-rules';

/**
 * Turns one CSV file of an import entity (header row = field names) into import
 * rows: empty cells are absent values, number columns become numbers (a cell
 * that is not one stays a string so validation reports it with its line).
 */
export function csvToRows(entity: ImportEntity, text: string): Record<string, unknown>[] {
  const rules = ROW_RULES[entity];
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: false }) as Record<string, string>[];
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [field, cell] of Object.entries(record)) {
      if (cell === '') continue;
      const rule = rules[field];
      row[field] = rule?.kind === 'number' && cell.trim() !== '' && Number.isFinite(Number(cell)) ? Number(cell) : cell;
    }
    return row;
  });
}

/** Line in the CSV file of a row index (line 1 is the header). */
export const csvLine = (index: number) => index + 2;
