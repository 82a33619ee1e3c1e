/**
 * Versioned schema migrations, applied in order at startup and recorded as
 * (:SchemaMigration {version}). Each statement is idempotent (IF NOT EXISTS),
 * so two processes starting together do no harm. Every constraint and index of
 * every library is declared here, never created by a module at start. Append a
 * new version for a change; a version once applied is never edited (the runner
 * skips recorded versions, so an edit would never reach existing databases).
 */
export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'unique ids per label and the indexes the reads use',
    statements: [
      'CREATE CONSTRAINT supplier_id IF NOT EXISTS FOR (n:Supplier) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT site_id IF NOT EXISTS FOR (n:Site) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT part_id IF NOT EXISTS FOR (n:Part) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT sku_id IF NOT EXISTS FOR (n:Sku) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT sensor_id IF NOT EXISTS FOR (n:Sensor) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT graph_meta_id IF NOT EXISTS FOR (n:GraphMeta) REQUIRE n.id IS UNIQUE',
      'CREATE POINT INDEX site_location IF NOT EXISTS FOR (n:Site) ON (n.location)',
      'CREATE INDEX site_supplier IF NOT EXISTS FOR (n:Site) ON (n.supplierId)',
      'CREATE INDEX site_country IF NOT EXISTS FOR (n:Site) ON (n.country)',
      'CREATE INDEX supplier_owner IF NOT EXISTS FOR (n:Supplier) ON (n.ownerSupplierId)',
      'CREATE INDEX sku_category IF NOT EXISTS FOR (n:Sku) ON (n.category)',
      'CREATE INDEX event_status IF NOT EXISTS FOR (n:Event) ON (n.status)',
      'CREATE INDEX supplies_part IF NOT EXISTS FOR ()-[r:SUPPLIES]-() ON (r.partId)',
    ],
  },
  {
    version: 2,
    description: 'API keys, the audit log (head and entries), survey answers per (event, site), part owners',
    statements: [
      'CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.hash IS UNIQUE',
      'CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (n:AuditHead) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT audit_entry_seq IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.seq IS UNIQUE',
      'CREATE CONSTRAINT survey_event_site IF NOT EXISTS FOR (n:Survey) REQUIRE (n.eventId, n.siteId) IS UNIQUE',
      'CREATE INDEX survey_supplier IF NOT EXISTS FOR (n:Survey) ON (n.supplierId)',
      'CREATE INDEX part_owner IF NOT EXISTS FOR (n:Part) ON (n.ownerSupplierId)',
    ],
  },
  {
    version: 3,
    description: 'webhook subscriptions: unique ids and the deployment they belong to',
    statements: [
      'CREATE CONSTRAINT webhook_subscription_id IF NOT EXISTS FOR (n:WebhookSubscription) REQUIRE n.id IS UNIQUE',
      'CREATE INDEX webhook_subscription_deployment IF NOT EXISTS FOR (n:WebhookSubscription) ON (n.deployment)',
    ],
  },
  {
    version: 4,
    description: 'traceability (GS1 EPCIS 2.0): events by hash and eventID, lots, captures, locations; GLNs of sites, GTINs of SKUs and parts',
    statements: [
      'CREATE CONSTRAINT epcis_event_hash IF NOT EXISTS FOR (n:EpcisEvent) REQUIRE n.eventHash IS UNIQUE',
      'CREATE INDEX epcis_event_id IF NOT EXISTS FOR (n:EpcisEvent) ON (n.eventId)',
      'CREATE INDEX epcis_event_time IF NOT EXISTS FOR (n:EpcisEvent) ON (n.eventTimeMs)',
      'CREATE INDEX epcis_event_record_time IF NOT EXISTS FOR (n:EpcisEvent) ON (n.recordTimeMs)',
      'CREATE INDEX epcis_event_capture IF NOT EXISTS FOR (n:EpcisEvent) ON (n.captureId)',
      'CREATE INDEX epcis_event_biz_step IF NOT EXISTS FOR (n:EpcisEvent) ON (n.bizStep)',
      'CREATE INDEX epcis_event_read_point IF NOT EXISTS FOR (n:EpcisEvent) ON (n.readPoint)',
      'CREATE INDEX epcis_event_biz_location IF NOT EXISTS FOR (n:EpcisEvent) ON (n.bizLocation)',
      'CREATE INDEX epcis_event_transformation IF NOT EXISTS FOR (n:EpcisEvent) ON (n.transformationId)',
      'CREATE CONSTRAINT lot_id IF NOT EXISTS FOR (n:Lot) REQUIRE n.id IS UNIQUE',
      'CREATE INDEX lot_gtin IF NOT EXISTS FOR (n:Lot) ON (n.gtin)',
      'CREATE CONSTRAINT epcis_capture_id IF NOT EXISTS FOR (n:EpcisCapture) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT epcis_location_id IF NOT EXISTS FOR (n:EpcisLocation) REQUIRE n.id IS UNIQUE',
      'CREATE CONSTRAINT site_gln IF NOT EXISTS FOR (n:Site) REQUIRE n.gln IS UNIQUE',
      'CREATE CONSTRAINT sku_gtin IF NOT EXISTS FOR (n:Sku) REQUIRE n.gtin IS UNIQUE',
      'CREATE CONSTRAINT part_gtin IF NOT EXISTS FOR (n:Part) REQUIRE n.gtin IS UNIQUE',
      'CREATE INDEX went_into_event IF NOT EXISTS FOR ()-[r:WENT_INTO]-() ON (r.eventHash)',
    ],
  },
  {
    version: 5,
    description: 'onboarding: duplicate pairs a person rejected, one per (site, site), found by either site',
    statements: [
      'CREATE CONSTRAINT duplicate_rejection_key IF NOT EXISTS FOR (n:DuplicateRejection) REQUIRE n.key IS UNIQUE',
      'CREATE INDEX duplicate_rejection_a IF NOT EXISTS FOR (n:DuplicateRejection) ON (n.a)',
      'CREATE INDEX duplicate_rejection_b IF NOT EXISTS FOR (n:DuplicateRejection) ON (n.b)',
    ],
  },
  {
    version: 6,
    description: 'anticipated impacts (DESIGN §10): every run reads the few anticipated HITS among many observed ones',
    statements: ['CREATE INDEX hits_anticipated IF NOT EXISTS FOR ()-[r:HITS]-() ON (r.anticipated)'],
  },
  {
    version: 7,
    description: 'lot flags (DESIGN §11): one per (lot, cause), found by lot, cause and site, the ones not yet alerted on, newest first',
    statements: [
      'CREATE CONSTRAINT lot_flag_lot_cause IF NOT EXISTS FOR (n:LotFlag) REQUIRE (n.lotId, n.causeId) IS UNIQUE',
      'CREATE INDEX lot_flag_lot IF NOT EXISTS FOR (n:LotFlag) ON (n.lotId)',
      'CREATE INDEX lot_flag_cause IF NOT EXISTS FOR (n:LotFlag) ON (n.causeId)',
      'CREATE INDEX lot_flag_site IF NOT EXISTS FOR (n:LotFlag) ON (n.siteId)',
      'CREATE INDEX lot_flag_notified IF NOT EXISTS FOR (n:LotFlag) ON (n.notified)',
    ],
  },
  {
    version: 8,
    description:
      'attribution (DESIGN §3.3) as records per event, cut by SKU bucket, instead of an EXPOSED_TO edge per (SKU, event): the edges go, and the first run after the upgrade (a full one) writes the records',
    statements: [
      'CREATE INDEX attribution_event IF NOT EXISTS FOR (n:Attribution) ON (n.eventId)',
      'CREATE INDEX attribution_bucket IF NOT EXISTS FOR (n:Attribution) ON (n.bucket)',
      'MATCH ()-[r:EXPOSED_TO]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS',
    ],
  },
  {
    version: 9,
    description:
      'EPCIS capture (DESIGN §11): an event names its capture by its indexed captureId only; the CAPTURED edges (one per event, all on the capture node) go',
    statements: ['MATCH (:EpcisCapture)-[r:CAPTURED]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS'],
  },
];

/** Refuses a list the runner would apply wrongly: a version given twice would be skipped the second time. */
export function checkMigrations(migrations: readonly Migration[]): void {
  const seen = new Set<number>();
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version < 1) throw new Error(`migration version ${m.version} is not a positive integer`);
    if (seen.has(m.version)) throw new Error(`migration version ${m.version} is declared twice`);
    seen.add(m.version);
  }
}
