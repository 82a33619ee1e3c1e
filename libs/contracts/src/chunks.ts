/**
 * The consecutive slices of `items`, each at most `size` long (the last may be
 * shorter), in order. Every write that cuts a list into statements or
 * pipeline calls goes through here, so batch sizes are named where they are chosen.
 */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[], void, undefined> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
