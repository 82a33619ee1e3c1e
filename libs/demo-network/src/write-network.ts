import { once } from 'node:events';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { IMPORT_ENTITIES, ImportEntity, ImportPayload } from '@tiersight/contracts';
import type { NetworkBatch } from './network-rows';

/** A whole payload, or batches in entity order (what `generateNetworkBatches` yields). */
export type NetworkSource = ImportPayload | Iterable<NetworkBatch>;

/** CSV columns per entity: the field names of the import rows (DESIGN §7.1), in row order. */
export const CSV_COLUMNS: Readonly<Record<ImportEntity, readonly string[]>> = {
  suppliers: ['id', 'name', 'country', 'ownerSupplierId', 'visibility'],
  sites: ['id', 'supplierId', 'name', 'kind', 'lat', 'lon', 'country', 'ttrDays', 'baselineRisk', 'source', 'confirmedAt'],
  parts: ['id', 'name', 'category'],
  skus: ['id', 'name', 'dailyRevenue', 'category'],
  supplies: ['fromSiteId', 'toSiteId', 'toSkuId', 'partId', 'share', 'bufferDays', 'leadTimeDays', 'source', 'confirmedAt'],
};

/** RFC 4180 cell: empty for an absent value, quoted when it holds a quote, a comma, a line break or edge spaces. */
export const csvCell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function* asBatches(source: NetworkSource): Iterable<NetworkBatch> {
  if (Symbol.iterator in source) return yield* source as Iterable<NetworkBatch>;
  for (const entity of IMPORT_ENTITIES) {
    const rows = (source as ImportPayload)[entity] ?? [];
    for (let i = 0; i < rows.length; i += 5_000) yield { entity, rows: rows.slice(i, i + 5_000) } as NetworkBatch;
  }
}

/** Batches grouped by entity, checked to come in IMPORT_ENTITIES order. */
function* byEntity(source: NetworkSource): Iterable<[ImportEntity, NetworkBatch, boolean]> {
  let last = -1;
  for (const batch of asBatches(source)) {
    const order = IMPORT_ENTITIES.indexOf(batch.entity);
    if (order < last) throw new Error(`${batch.entity} rows came after ${IMPORT_ENTITIES[last]} rows; batches must follow ${IMPORT_ENTITIES.join(', ')}`);
    yield [batch.entity, batch, order !== last];
    last = order;
  }
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function open(file: string): Promise<WriteStream> {
  const out = createWriteStream(file);
  await once(out, 'ready');
  return out;
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Streams the network as one import JSON file, one row per line; never builds the whole text. */
export async function writeNetworkJson(source: NetworkSource, file: string, onRows?: (rows: number) => void): Promise<void> {
  const out = await open(file);
  try {
    await write(out, '{');
    let entities = 0;
    let first = true;
    for (const [entity, batch, starts] of byEntity(source)) {
      if (starts) {
        await write(out, `${entities++ ? '\n],' : ''}\n${JSON.stringify(entity)}:[`);
        first = true;
      }
      if (batch.rows.length) {
        await write(out, (first ? '\n' : ',\n') + batch.rows.map((r) => JSON.stringify(r)).join(',\n'));
        first = false;
      }
      onRows?.(batch.rows.length);
    }
    await write(out, `${entities ? '\n]' : ''}\n}\n`);
  } finally {
    await close(out);
  }
}

/** One CSV file per entity in `dir` (`suppliers.csv` …), the directory format of the import CLI; header rows even for empty entities. */
export async function writeNetworkCsv(source: NetworkSource, dir: string, onRows?: (rows: number) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const pending = new Set<ImportEntity>(IMPORT_ENTITIES);
  let out: WriteStream | undefined;
  try {
    for (const [entity, batch, starts] of byEntity(source)) {
      const columns = CSV_COLUMNS[entity];
      if (starts) {
        if (out) await close(out);
        out = await open(join(dir, `${entity}.csv`));
        pending.delete(entity);
        await write(out, `${columns.join(',')}\n`);
      }
      const rows: readonly object[] = batch.rows;
      if (rows.length) await write(out!, rows.map((r) => columns.map((c) => csvCell(Reflect.get(r, c))).join(',')).join('\n') + '\n');
      onRows?.(rows.length);
    }
  } finally {
    if (out) await close(out);
  }
  for (const entity of pending) {
    const empty = await open(join(dir, `${entity}.csv`));
    await write(empty, `${CSV_COLUMNS[entity].join(',')}\n`);
    await close(empty);
  }
}
