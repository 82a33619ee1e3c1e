import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '@tiersight/graph';
import { SurveyPosition, SurveyState } from './survey-state';

/** A survey row as read: the (event, site) hit, the answer if any, and when it was asked. */
export interface SurveyRow {
  eventId: string;
  siteId: string;
  siteName: string;
  supplierId: string;
  supplierName: string;
  state: SurveyState;
  capacityLoss: number | null;
  recoveryDays: number | null;
  estimateX: number;
  estimateDays: number;
  askedAt: string;
  answeredAt: string | null;
  event: { id: string; type: string; title: string; severity: number; expectedDurationDays: number; startsAt: string | null; updatedAt: string | null };
}

// A survey exists while an active event's geo match hits the site; its answer (if any) is a Survey node.
// askedAt: when the site was first hit, or when an update of the event reopened the survey.
const SURVEY_COLUMNS = `
WITH e, s, h, sup, sv, coalesce(sv.state, 'potential') AS state,
     coalesce(h.askedAt, e.updatedAt, e.createdAt) AS hitAt
WITH e, s, h, sup, sv, state, CASE WHEN sv.reopenedAt IS NOT NULL AND sv.reopenedAt > hitAt THEN sv.reopenedAt ELSE hitAt END AS askedAt
WHERE $states IS NULL OR state IN $states`;

const SURVEY_RETURN = `
RETURN { eventId: e.id, siteId: s.id, siteName: s.name, supplierId: sup.id, supplierName: sup.name, state: state,
  capacityLoss: CASE WHEN state = 'confirmed' THEN sv.capacityLoss ELSE null END,
  recoveryDays: CASE WHEN state = 'confirmed' THEN sv.recoveryDays ELSE null END,
  estimateX: h.intensity, estimateDays: h.durationDays, askedAt: toString(askedAt),
  answeredAt: CASE WHEN state = 'potential' THEN null ELSE toString(sv.answeredAt) END,
  event: { id: e.id, type: e.type, title: e.title, severity: e.severity, expectedDurationDays: e.expectedDurationDays,
           startsAt: toString(e.startsAt), updatedAt: toString(e.updatedAt) } } AS survey`;

const OF_SUPPLIER = `
MATCH (sup:Supplier {id: $supplierId})-[:OPERATES]->(s:Site)<-[h:HITS {source: 'geo'}]-(e:Event {status: 'active'})
OPTIONAL MATCH (sv:Survey {eventId: e.id, siteId: s.id})
${SURVEY_COLUMNS}
${SURVEY_RETURN}
ORDER BY askedAt, e.id, s.id SKIP $skip LIMIT $limit`;

const ONE = `
MATCH (sup:Supplier {id: $supplierId})-[:OPERATES]->(s:Site {id: $siteId})<-[h:HITS {source: 'geo'}]-(e:Event {id: $eventId, status: 'active'})
OPTIONAL MATCH (sv:Survey {eventId: e.id, siteId: s.id})
${SURVEY_COLUMNS}
${SURVEY_RETURN}`;

const ALL = `
MATCH (e:Event {status: 'active'})-[h:HITS {source: 'geo'}]->(s:Site)<-[:OPERATES]-(sup:Supplier)
WHERE ($eventId IS NULL OR e.id = $eventId) AND ($supplierId IS NULL OR sup.id = $supplierId)
OPTIONAL MATCH (sv:Survey {eventId: e.id, siteId: s.id})
${SURVEY_COLUMNS}
${SURVEY_RETURN}
ORDER BY askedAt, e.id, s.id SKIP $skip LIMIT $limit`;

// Taking the answer node first locks the survey: two answers to one survey take turns.
const LOCK = `
MERGE (sv:Survey {eventId: $eventId, siteId: $siteId})
ON CREATE SET sv.state = 'potential', sv.createdAt = datetime()
SET sv.supplierId = $supplierId, sv.lockedAt = datetime()
RETURN sv.state AS state, sv.capacityLoss AS capacityLoss, sv.recoveryDays AS recoveryDays`;

const SAVE = `
MATCH (sv:Survey {eventId: $eventId, siteId: $siteId})
MATCH (e:Event {id: $eventId})
SET sv.state = $next.state, sv.capacityLoss = $next.capacityLoss, sv.recoveryDays = $next.recoveryDays,
    sv.answeredAt = datetime(), sv.answeredBy = $keyId, sv.eventHash = e.contentHash`;

@Injectable()
export class SurveyRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async ofSupplier(supplierId: string, states: SurveyState[] | null, skip: number, limit: number): Promise<SurveyRow[]> {
    const res = await this.neo4j.read((tx) => tx.run(OF_SUPPLIER, { supplierId, states, skip: neo4j.int(skip), limit: neo4j.int(limit) }));
    return res.records.map((r) => r.get('survey') as SurveyRow);
  }

  async all(filter: { states: SurveyState[] | null; eventId?: string; supplierId?: string }, skip: number, limit: number): Promise<SurveyRow[]> {
    const res = await this.neo4j.read((tx) =>
      tx.run(ALL, {
        states: filter.states,
        eventId: filter.eventId ?? null,
        supplierId: filter.supplierId ?? null,
        skip: neo4j.int(skip),
        limit: neo4j.int(limit),
      }),
    );
    return res.records.map((r) => r.get('survey') as SurveyRow);
  }

  /** The survey for (event, site) when the site is the supplier's and the active event hits it; else null. */
  async one(supplierId: string, eventId: string, siteId: string, tx?: ManagedTransaction): Promise<SurveyRow | null> {
    const params = { supplierId, eventId, siteId, states: null };
    const res = tx ? await tx.run(ONE, params) : await this.neo4j.read((t) => t.run(ONE, params));
    return res.records.length ? (res.records[0].get('survey') as SurveyRow) : null;
  }

  async lock(tx: ManagedTransaction, supplierId: string, eventId: string, siteId: string): Promise<SurveyPosition> {
    const r = (await tx.run(LOCK, { supplierId, eventId, siteId })).records[0];
    return { state: r.get('state') as SurveyState, capacityLoss: r.get('capacityLoss') as number | null, recoveryDays: r.get('recoveryDays') as number | null };
  }

  async save(tx: ManagedTransaction, eventId: string, siteId: string, next: SurveyPosition, keyId: string): Promise<void> {
    await tx.run(SAVE, { eventId, siteId, next, keyId });
  }

  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.write(work);
  }
}
