import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_ENTITIES } from '@tiersight/contracts';
import { csvToRows } from '@tiersight/graph';

export interface LoadedImport {
  payload: Record<string, unknown[]>;
  format: 'json' | 'csv';
  files: string[];
}

/** A JSON file in the import format, or a directory of CSV files named after the entities. */
export function loadImportFiles(path: string): LoadedImport {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  if (statSync(path).isFile()) {
    let payload: unknown;
    try {
      payload = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    return { payload: payload as Record<string, unknown[]>, format: 'json', files: [path] };
  }
  const payload: Record<string, unknown[]> = {};
  const files: string[] = [];
  for (const entity of IMPORT_ENTITIES) {
    const file = join(path, `${entity}.csv`);
    if (!existsSync(file)) continue;
    try {
      payload[entity] = csvToRows(entity, readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
    }
    files.push(file);
  }
  if (files.length === 0) {
    throw new Error(`${path} holds none of ${IMPORT_ENTITIES.map((e) => `${e}.csv`).join(', ')}`);
  }
  return { payload, format: 'csv', files };
}
