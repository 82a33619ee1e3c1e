/** Keyset pagination on ids: the cursor is the last id of the previous page, opaque to clients. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const encodeCursor = (lastId: string): string => Buffer.from(lastId, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw new InvalidCursorError();
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API issued');
  }
}

export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1].id) : null };
}
