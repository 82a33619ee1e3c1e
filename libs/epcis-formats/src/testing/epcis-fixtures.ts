import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpcisEvent } from '../epcis-types';

/** fixtures/epcis, the project's copy of the public samples (see its SOURCES.md). */
export const EPCIS_FIXTURES = join(__dirname, '..', '..', '..', '..', 'fixtures', 'epcis');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

export function filesIn(folder: string, extension: string): string[] {
  return readdirSync(join(EPCIS_FIXTURES, folder))
    .filter((f) => f.endsWith(extension))
    .sort();
}

/** Lines of a vector file; a last line without newline counts, an empty trailing line does not. */
export function readLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface HashVectorDocument {
  readonly name: string;
  readonly document: Record<string, unknown>;
  /** The events in document order, from an EPCISDocument or an EPCISQueryDocument. */
  readonly events: EpcisEvent[];
  /** `.hashes`: the expected hash ID of each event, in document order. */
  readonly hashes: string[];
  /** `.prehashes`, where published: the expected pre-hash string of each event. */
  readonly prehashes: string[];
  /**
   * Fields the vector set asks to leave out: a document (or query result) lists
   * them under `<prefix>:ignoreFields`, the prefix standing for the example
   * repository `https://repository-x.example.com/`. A convention of these
   * vectors, not of the standard.
   */
  readonly ignoreFields: string[];
}

const IGNORE_FIELDS_NAMESPACE = 'https://repository-x.example.com/';

function ignoreFieldsOf(document: Record<string, unknown>, holder: Record<string, unknown>): string[] {
  const contexts = Array.isArray(document['@context']) ? (document['@context'] as unknown[]) : [document['@context']];
  for (const context of contexts) {
    if (!isRecord(context)) continue;
    for (const [prefix, ns] of Object.entries(context)) {
      const list = ns === IGNORE_FIELDS_NAMESPACE ? holder[`${prefix}:ignoreFields`] : undefined;
      if (Array.isArray(list)) return list.filter((f): f is string => typeof f === 'string');
    }
  }
  return [];
}

export function readHashVectors(): HashVectorDocument[] {
  return filesIn('eventhash', '.jsonld').map((file) => {
    const name = file.replace(/\.jsonld$/, '');
    const document = readJson(join(EPCIS_FIXTURES, 'eventhash', file));
    if (!isRecord(document) || !isRecord(document['epcisBody'])) throw new Error(`${file} is not an EPCIS document`);
    const body = document['epcisBody'];
    const queryResults = isRecord(body['queryResults']) ? body['queryResults'] : undefined;
    const resultsBody = queryResults !== undefined && isRecord(queryResults['resultsBody']) ? queryResults['resultsBody'] : undefined;
    const events = (resultsBody?.['eventList'] ?? body['eventList']) as EpcisEvent[];
    const prehashFile = join(EPCIS_FIXTURES, 'eventhash', `${name}.prehashes`);
    const prehashes = filesIn('eventhash', '.prehashes').includes(`${name}.prehashes`) ? readLines(prehashFile) : [];
    return {
      name,
      document,
      events,
      hashes: readLines(join(EPCIS_FIXTURES, 'eventhash', `${name}.hashes`)),
      prehashes,
      ignoreFields: ignoreFieldsOf(document, queryResults ?? document),
    };
  });
}
