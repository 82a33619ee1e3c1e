/**
 * SenML JSON (RFC 8428): a pack is a JSON array of records; base fields
 * (bn, bt, bu, bv, bs, bver) apply to the records that follow until replaced;
 * resolution (§4.6) turns every record into a self-contained one with an
 * absolute name and time. Pure: no I/O, `now` is passed in.
 */
import type { TelemetryRecord } from '@tiersight/contracts';

/** A record in resolved form (§4.6): full name, absolute time in seconds since 1970; the telemetry record plus `ut` and extensions. */
export interface ResolvedRecord extends TelemetryRecord {
  ut?: number;
  /** Extension fields that need not be understood (§4.4), as the record had them. */
  [extension: string]: unknown;
}

/** One record of a pack that could not be resolved; the rest of the pack is still usable. */
export interface RecordError {
  /** Position in the pack (0-based; for a list of packs, counted across all of them). */
  index: number;
  /** The resolved name when it could be computed. */
  name: string | null;
  reason: string;
  record: unknown;
}

export interface ResolvedPack {
  records: ResolvedRecord[];
  errors: RecordError[];
}

/** The pack as a whole cannot be read (not an array, a base field of the wrong type, an unknown must-understand field). */
export class SenmlPackError extends Error {
  constructor(
    message: string,
    readonly index: number | null = null,
  ) {
    super(message);
    this.name = 'SenmlPackError';
  }
}

/** The SenML version this parser implements (§4.4: a pack with a higher bver is rejected). */
export const SENML_VERSION = 10;
/** §4.5.3: a time below 2^28 is relative to the time of receipt. */
export const RELATIVE_TIME_LIMIT = 2 ** 28;
/** §4.5.1: the resolved name's characters. */
const NAME = /^[A-Za-z0-9][-:./A-Za-z0-9_]*$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const KNOWN = new Set(['bn', 'bt', 'bu', 'bv', 'bs', 'bver', 'n', 'u', 'v', 'vs', 'vb', 'vd', 's', 't', 'ut']);
const MAX_NAME = 512;

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

interface Base {
  bn: string;
  bt: number;
  bu?: string;
  bv: number;
  bs: number;
}

/**
 * Resolves one pack, or a JSON array of packs, received at `nowSeconds`.
 * Throws SenmlPackError when the pack as a whole is unusable; a bad record
 * is reported in `errors` and the others resolve.
 */
export function resolveSenml(body: unknown, nowSeconds: number): ResolvedPack {
  if (!Array.isArray(body)) throw new SenmlPackError('a SenML pack is a JSON array of records');
  if (body.length > 0 && body.every((p) => Array.isArray(p))) {
    const out: ResolvedPack = { records: [], errors: [] };
    let offset = 0;
    for (const pack of body as unknown[][]) {
      const one = resolvePack(pack, nowSeconds, offset);
      out.records.push(...one.records);
      out.errors.push(...one.errors);
      offset += pack.length;
    }
    return out;
  }
  return resolvePack(body, nowSeconds, 0);
}

function resolvePack(pack: unknown[], now: number, offset: number): ResolvedPack {
  const records: ResolvedRecord[] = [];
  const errors: RecordError[] = [];
  const base: Base = { bn: '', bt: 0, bv: 0, bs: 0 };
  for (let i = 0; i < pack.length; i++) {
    const raw = pack[i];
    const index = offset + i;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new SenmlPackError(`record ${index} is not a JSON object`, index);
    }
    const r = raw as Record<string, unknown>;
    readBase(r, base, index);
    const error = (reason: string, name: string | null = null) => errors.push({ index, name, reason, record: raw });

    const hasValue = ['v', 'vs', 'vb', 'vd'].filter((k) => r[k] !== undefined);
    const hasSum = r.s !== undefined;
    const hasBase = ['bn', 'bt', 'bu', 'bv', 'bs', 'bver'].some((k) => r[k] !== undefined);
    // A record carrying only base fields sets context for the next ones (RFC §5.1.7 example).
    if (hasValue.length === 0 && !hasSum && hasBase && r.n === undefined) continue;

    if (r.n !== undefined && typeof r.n !== 'string') {
      error('n must be a string');
      continue;
    }
    const name = base.bn + ((r.n as string | undefined) ?? '');
    if (name.length === 0) {
      error('the record has no name (neither bn nor n)');
      continue;
    }
    if (name.length > MAX_NAME || !NAME.test(name)) {
      error(`invalid name "${name.slice(0, 80)}": RFC 8428 §4.5.1 allows A-Z a-z 0-9 and - : . / _, starting with a letter or digit`, name.slice(0, MAX_NAME));
      continue;
    }
    if (hasValue.length > 1) {
      error(`a record carries at most one value field (found ${hasValue.join(', ')})`, name);
      continue;
    }
    if (hasValue.length === 0 && !hasSum) {
      error('the record has neither a value (v, vs, vb, vd) nor a sum (s)', name);
      continue;
    }
    if (r.t !== undefined && !isNumber(r.t)) {
      error('t must be a number', name);
      continue;
    }
    if (r.u !== undefined && typeof r.u !== 'string') {
      error('u must be a string', name);
      continue;
    }
    if (r.ut !== undefined && (!isNumber(r.ut) || r.ut < 0)) {
      error('ut must be a non-negative number', name);
      continue;
    }
    const out: ResolvedRecord = { n: name, t: 0 };
    const unit = (r.u as string | undefined) ?? base.bu;
    if (unit !== undefined) out.u = unit;
    if (r.v !== undefined) {
      if (!isNumber(r.v)) {
        error('v must be a number', name);
        continue;
      }
      out.v = base.bv + r.v;
    } else if (r.vs !== undefined) {
      if (typeof r.vs !== 'string') {
        error('vs must be a string', name);
        continue;
      }
      out.vs = r.vs;
    } else if (r.vb !== undefined) {
      if (typeof r.vb !== 'boolean') {
        error('vb must be true or false', name);
        continue;
      }
      out.vb = r.vb;
    } else if (r.vd !== undefined) {
      if (typeof r.vd !== 'string' || !BASE64URL.test(r.vd)) {
        error('vd must be base64url text without padding', name);
        continue;
      }
      out.vd = r.vd;
    }
    if (hasSum) {
      if (!isNumber(r.s)) {
        error('s must be a number', name);
        continue;
      }
      out.s = base.bs + r.s;
    }
    const t = base.bt + ((r.t as number | undefined) ?? 0);
    out.t = t < RELATIVE_TIME_LIMIT ? now + t : t;
    if (r.ut !== undefined) out.ut = r.ut as number;
    // Extension fields that need not be understood (§4.4) travel on unchanged.
    for (const key of Object.keys(r)) if (!KNOWN.has(key)) out[key] = r[key];
    records.push(out);
  }
  return { records, errors };
}

/** Applies the record's base fields; a base field of the wrong type makes the rest of the pack unreadable. */
function readBase(r: Record<string, unknown>, base: Base, index: number): void {
  for (const key of Object.keys(r)) {
    // §4.4: a field whose name ends in "_" must be understood, or the pack rejected.
    if (!KNOWN.has(key) && key.endsWith('_')) throw new SenmlPackError(`record ${index} has must-understand field "${key}", which is not supported`, index);
  }
  if (r.bver !== undefined) {
    if (!isNumber(r.bver) || !Number.isInteger(r.bver) || r.bver < 1) throw new SenmlPackError(`record ${index}: bver must be a positive integer`, index);
    if (r.bver > SENML_VERSION) throw new SenmlPackError(`record ${index}: SenML version ${r.bver} is not supported (at most ${SENML_VERSION})`, index);
  }
  if (r.bn !== undefined) {
    if (typeof r.bn !== 'string') throw new SenmlPackError(`record ${index}: bn must be a string`, index);
    base.bn = r.bn;
  }
  if (r.bt !== undefined) {
    if (!isNumber(r.bt)) throw new SenmlPackError(`record ${index}: bt must be a number`, index);
    base.bt = r.bt;
  }
  if (r.bu !== undefined) {
    if (typeof r.bu !== 'string') throw new SenmlPackError(`record ${index}: bu must be a string`, index);
    base.bu = r.bu;
  }
  if (r.bv !== undefined) {
    if (!isNumber(r.bv)) throw new SenmlPackError(`record ${index}: bv must be a number`, index);
    base.bv = r.bv;
  }
  if (r.bs !== undefined) {
    if (!isNumber(r.bs)) throw new SenmlPackError(`record ${index}: bs must be a number`, index);
    base.bs = r.bs;
  }
}
