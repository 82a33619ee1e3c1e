import { Inject, Injectable } from '@nestjs/common';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { APP_CONFIG, BaseEnv } from '@tiersight/config';
import { decodeCursor, encodeCursor, Neo4jService, Page } from '@tiersight/graph';
import { normalizeFilters, WebhookFilters } from './filters';

export type SubscriptionStatus = 'active' | 'paused';

/** A subscription as stored, secrets included (never sent to clients after creation or rotation). */
export interface StoredSubscription {
  id: string;
  url: string;
  description: string | null;
  filters: WebhookFilters;
  status: SubscriptionStatus;
  pausedReason: string | null;
  pausedAt: string | null;
  pausedBy: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  secretRotatedAt: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

const FIELDS = `w { .id, .url, .description, .filtersJson, .status, .pausedReason, .pausedBy, .secret, .previousSecret, .createdBy,
  pausedAt: toString(w.pausedAt), previousSecretExpiresAt: toString(w.previousSecretExpiresAt),
  secretRotatedAt: toString(w.secretRotatedAt), createdAt: toString(w.createdAt), updatedAt: toString(w.updatedAt) }`;

/** Subscriptions belong to one deployment (its QUEUE_PREFIX): the workers of that deployment deliver them. */
const CREATE = `
CREATE (w:WebhookSubscription {id: $s.id, deployment: $deployment, url: $s.url, description: $s.description,
  filtersJson: $s.filtersJson, status: $s.status, pausedReason: $s.pausedReason, pausedBy: $s.pausedBy,
  pausedAt: CASE WHEN $s.status = 'paused' THEN datetime() ELSE null END,
  secret: $s.secret, createdBy: $s.createdBy, createdAt: datetime(), updatedAt: datetime()})
RETURN ${FIELDS} AS w`;

const ONE = `MATCH (w:WebhookSubscription {id: $id, deployment: $deployment}) RETURN ${FIELDS} AS w`;

const LIST = `
MATCH (w:WebhookSubscription {deployment: $deployment}) WHERE $after IS NULL OR w.id > $after
RETURN ${FIELDS} AS w ORDER BY w.id LIMIT $limit`;

const ALL = `MATCH (w:WebhookSubscription {deployment: $deployment}) RETURN ${FIELDS} AS w`;

const UPDATE = `
MATCH (w:WebhookSubscription {id: $id, deployment: $deployment})
SET w.url = coalesce($c.url, w.url),
    w.description = CASE WHEN $c.setDescription THEN $c.description ELSE w.description END,
    w.filtersJson = coalesce($c.filtersJson, w.filtersJson),
    w.pausedAt = CASE WHEN $c.status = 'paused' AND w.status <> 'paused' THEN datetime()
                      WHEN $c.status = 'active' THEN null ELSE w.pausedAt END,
    w.pausedReason = CASE WHEN $c.status = 'paused' AND w.status <> 'paused' THEN $c.pausedReason
                          WHEN $c.status = 'active' THEN null ELSE w.pausedReason END,
    w.pausedBy = CASE WHEN $c.status = 'paused' AND w.status <> 'paused' THEN $c.pausedBy
                      WHEN $c.status = 'active' THEN null ELSE w.pausedBy END,
    w.status = coalesce($c.status, w.status),
    w.updatedAt = datetime()
RETURN ${FIELDS} AS w`;

/** Only an active subscription is paused automatically, so the first reason stays. */
const AUTO_PAUSE = `
MATCH (w:WebhookSubscription {id: $id, deployment: $deployment}) WHERE w.status = 'active'
SET w.status = 'paused', w.pausedReason = $reason, w.pausedBy = 'auto', w.pausedAt = datetime(), w.updatedAt = datetime()
RETURN ${FIELDS} AS w`;

const ROTATE = `
MATCH (w:WebhookSubscription {id: $id, deployment: $deployment})
SET w.previousSecret = CASE WHEN $graceSeconds > 0 THEN w.secret ELSE null END,
    w.previousSecretExpiresAt = CASE WHEN $graceSeconds > 0 THEN datetime() + duration({seconds: $graceSeconds}) ELSE null END,
    w.secret = $secret, w.secretRotatedAt = datetime(), w.updatedAt = datetime()
RETURN ${FIELDS} AS w`;

const DELETE = `MATCH (w:WebhookSubscription {id: $id, deployment: $deployment}) DETACH DELETE w RETURN count(*) AS n`;

export interface SubscriptionChanges {
  url?: string;
  description?: string | null;
  filters?: WebhookFilters;
  status?: SubscriptionStatus;
  pausedReason?: string | null;
  pausedBy?: string | null;
}

/** Webhook subscriptions in Neo4j (parameterised Cypher only); their constraint and index are schema migration 3 (libs/graph). */
@Injectable()
export class SubscriptionRepository {
  private readonly deployment: string;

  constructor(
    private readonly neo4j: Neo4jService,
    @Inject(APP_CONFIG) config: BaseEnv,
  ) {
    this.deployment = config.QUEUE_PREFIX;
  }

  /** See Neo4jService.databaseId. */
  databaseId(): Promise<string> {
    return this.neo4j.databaseId();
  }

  /** A write transaction for the changes below, so that the caller's audit entry commits with them. */
  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.write(work);
  }

  async create(
    tx: ManagedTransaction,
    s: Pick<StoredSubscription, 'id' | 'url' | 'description' | 'filters' | 'status' | 'pausedReason' | 'pausedBy' | 'secret' | 'createdBy'>,
  ): Promise<StoredSubscription> {
    const res = await tx.run(CREATE, { deployment: this.deployment, s: { ...s, filtersJson: JSON.stringify(normalizeFilters(s.filters)) } });
    return toStored(res.records[0].get('w'));
  }

  async get(id: string): Promise<StoredSubscription | null> {
    const res = await this.neo4j.read((tx) => tx.run(ONE, { id, deployment: this.deployment }));
    return res.records.length ? toStored(res.records[0].get('w')) : null;
  }

  async list(limit: number, cursor: string | undefined): Promise<Page<StoredSubscription>> {
    const after = decodeCursor(cursor);
    const res = await this.neo4j.read((tx) => tx.run(LIST, { deployment: this.deployment, after, limit: neo4j.int(limit + 1) }));
    const rows = res.records.map((r) => toStored(r.get('w')));
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  /** Every subscription of this deployment (the workers keep them in memory). */
  async all(): Promise<StoredSubscription[]> {
    const res = await this.neo4j.read((tx) => tx.run(ALL, { deployment: this.deployment }));
    return res.records.map((r) => toStored(r.get('w')));
  }

  async update(tx: ManagedTransaction, id: string, c: SubscriptionChanges): Promise<StoredSubscription | null> {
    const params = {
      id,
      deployment: this.deployment,
      c: {
        url: c.url ?? null,
        setDescription: c.description !== undefined,
        description: c.description ?? null,
        filtersJson: c.filters ? JSON.stringify(normalizeFilters(c.filters)) : null,
        status: c.status ?? null,
        pausedReason: c.pausedReason ?? null,
        pausedBy: c.pausedBy ?? null,
      },
    };
    const res = await tx.run(UPDATE, params);
    return res.records.length ? toStored(res.records[0].get('w')) : null;
  }

  /** Pauses an active subscription; null when it was already paused or is gone. */
  async autoPause(id: string, reason: string): Promise<StoredSubscription | null> {
    const res = await this.neo4j.write((tx) => tx.run(AUTO_PAUSE, { id, deployment: this.deployment, reason }));
    return res.records.length ? toStored(res.records[0].get('w')) : null;
  }

  async rotate(tx: ManagedTransaction, id: string, secret: string, graceSeconds: number): Promise<StoredSubscription | null> {
    const res = await tx.run(ROTATE, { id, deployment: this.deployment, secret, graceSeconds: neo4j.int(graceSeconds) });
    return res.records.length ? toStored(res.records[0].get('w')) : null;
  }

  async delete(tx: ManagedTransaction, id: string): Promise<boolean> {
    const res = await tx.run(DELETE, { id, deployment: this.deployment });
    return Number(res.records[0].get('n')) > 0;
  }
}

function toStored(w: Record<string, unknown>): StoredSubscription {
  const { filtersJson, ...rest } = w as Record<string, unknown> & { filtersJson: string | null };
  return {
    ...(rest as Omit<StoredSubscription, 'filters'>),
    description: (rest.description as string | null) ?? null,
    filters: filtersJson ? (JSON.parse(filtersJson) as WebhookFilters) : {},
  };
}
