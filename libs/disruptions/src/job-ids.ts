import { createHash } from 'node:crypto';
import { eventContentHash } from '@tiersight/graph';
import type { EventPayload } from '@tiersight/queues';

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('base64url');

/**
 * Job ids make re-pulls idempotent at the queue too: the same version of an
 * event (same content) in the same database maps to the same job id, which
 * BullMQ adds only once while the job is retained. The database id keeps a
 * reset database from being taken for the old one (Redis keeps its finished
 * jobs). Event ids hold ':' which BullMQ forbids in custom ids, hence a digest.
 */
export const upsertJobId = (databaseId: string, event: EventPayload) => `upsert-${digest(databaseId, event.id, eventContentHash(event))}`;
export const matchJobId = (databaseId: string, eventId: string, hash: string) => `match-${digest(databaseId, eventId, hash)}`;
