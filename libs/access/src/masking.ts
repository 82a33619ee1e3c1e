/**
 * Masking of names in responses to the buyer's side (DESIGN §6): a supplier
 * disclosed as `masked` appears only as its id, country, tier and site
 * locations. Pure helpers; the interceptor asks the graph which ids are masked.
 *
 * A name travels in one of two shapes, both recognised anywhere in a body:
 * an object with `id` and `name` (a supplier, a site, `supplier: {id, name}`),
 * or `<x>Id` beside `<x>Name` (`supplierId` + `supplierName`).
 */
const PAIR = /^(.*)Name$/;
const MAX_DEPTH = 64;

/** Ids that stand beside a name somewhere in the value. */
export function namedIds(value: unknown): string[] {
  const ids = new Set<string>();
  walk(value, 0, (o) => {
    if (typeof o.id === 'string' && 'name' in o) ids.add(o.id);
    for (const key of Object.keys(o)) {
      const m = PAIR.exec(key);
      const id = m ? o[`${m[1]}Id`] : undefined;
      if (typeof id === 'string') ids.add(id);
    }
  });
  return [...ids];
}

/** A copy of the value with the names beside masked ids replaced by null (and `masked: true` on id+name objects). */
export function maskNames<T>(value: T, masked: ReadonlySet<string>): T {
  if (masked.size === 0) return value;
  return copy(value, 0, masked) as T;
}

function copy(value: unknown, depth: number, masked: ReadonlySet<string>): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => copy(v, depth + 1, masked));
  if (value instanceof Date) return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) out[key] = copy(v, depth + 1, masked);
  if (typeof o.id === 'string' && 'name' in o && masked.has(o.id)) {
    out.name = null;
    out.masked = true;
  }
  for (const key of Object.keys(o)) {
    const m = PAIR.exec(key);
    const id = m ? o[`${m[1]}Id`] : undefined;
    if (typeof id === 'string' && masked.has(id)) out[key] = null;
  }
  return out;
}

function walk(value: unknown, depth: number, visit: (o: Record<string, unknown>) => void): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, depth + 1, visit);
    return;
  }
  const o = value as Record<string, unknown>;
  visit(o);
  for (const v of Object.values(o)) walk(v, depth + 1, visit);
}
