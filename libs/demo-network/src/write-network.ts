import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_ENTITIES, ImportPayload } from '@tiersight/graph';

const COLUMNS: Record<(typeof IMPORT_ENTITIES)[number], string[]> = {
  suppliers: ['id', 'name', 'country', 'ownerSupplierId', 'visibility'],
  sites: ['id', 'supplierId', 'name', 'kind', 'lat', 'lon', 'country', 'ttrDays', 'baselineRisk', 'source', 'confirmedAt'],
  parts: ['id', 'name', 'category'],
  skus: ['id', 'name', 'dailyRevenue', 'category'],
  supplies: ['fromSiteId', 'toSiteId', 'toSkuId', 'partId', 'share', 'bufferDays', 'leadTimeDays', 'source', 'confirmedAt'],
};

const csvCell = (v: unknown) => {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Streams the network as one import JSON file (no giant string in memory). */
export async function writeNetworkJson(network: Required<ImportPayload>, file: string, onRows?: (n: number) => void): Promise<void> {
  const out = createWriteStream(file);
  await write(out, '{');
  let first = true;
  for (const entity of IMPORT_ENTITIES) {
    await write(out, `${first ? '' : ','}\n"${entity}":[`);
    first = false;
    const rows = network[entity] as object[];
    for (let i = 0; i < rows.length; i += 5000) {
      await write(out, rows.slice(i, i + 5000).map((r) => JSON.stringify(r)).join(',\n') + (i + 5000 < rows.length ? ',\n' : ''));
      onRows?.(Math.min(5000, rows.length - i));
    }
    await write(out, ']');
  }
  await write(out, '\n}\n');
  await close(out);
}

/** One CSV file per entity (the CLI import's directory format). */
export async function writeNetworkCsv(network: Required<ImportPayload>, dir: string, onRows?: (n: number) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const entity of IMPORT_ENTITIES) {
    const out = createWriteStream(join(dir, `${entity}.csv`));
    const columns = COLUMNS[entity];
    await write(out, `${columns.join(',')}\n`);
    const rows = network[entity] as unknown as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i += 5000) {
      await write(out, rows.slice(i, i + 5000).map((r) => columns.map((c) => csvCell(r[c])).join(',')).join('\n') + '\n');
      onRows?.(Math.min(5000, rows.length - i));
    }
    await close(out);
  }
}
