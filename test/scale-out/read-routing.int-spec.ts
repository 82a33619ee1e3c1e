jest.setTimeout(60_000);

import type { ManagedTransaction, QueryResult, RecordShape } from 'neo4j-driver';
import { Neo4jError } from 'neo4j-driver';
import { EventRepository, ExposureRepository, Neo4jService, SupplyGraphRepository, SupplyNetworkReader } from '@tiersight/graph';
import { ApiKeyRepository } from '../../libs/access/src/api-key.repository';
import { MaskingRepository } from '../../libs/access/src/masking.repository';
import { AuditRepository } from '../../libs/audit/src/audit.repository';
import { ImportRepository } from '../../libs/graph/src/import/import.repository';
import type { ReferenceQuery } from '../../libs/graph/src/import/validate-import';
import { SupplyNetworkWriter } from '../../libs/graph/src/supply-network.writer';
import { OnboardingRepository } from '../../libs/onboarding/src/onboarding.repository';
import { DisclosureRepository } from '../../libs/portal/src/disclosure.repository';
import { PortalRepository } from '../../libs/portal/src/portal.repository';
import { SitePlacements } from '../../libs/portal/src/site-placement.repository';
import { SurveyRepository } from '../../libs/portal/src/survey.repository';
import { SensorRepository } from '../../libs/telemetry/src/sensor.repository';
import { CaptureRepository } from '../../libs/traceability/src/capture.repository';
import { EpcisEventRepository } from '../../libs/traceability/src/epcis-event.repository';
import { TraceRepository } from '../../libs/traceability/src/trace.repository';
import { AlertContextRepository } from '../../libs/webhooks/src/alert-context.repository';
import { SubscriptionRepository } from '../../libs/webhooks/src/subscription.repository';
import { smallNetwork } from '../support/small-network';
import { uniquePrefix, workerConfig } from '../support/test-env';

class WritePathError extends Error {}

/**
 * The Neo4j service with its write paths (`write`, `run`, `autoCommit`) closed:
 * what is left are read transactions, which the server itself refuses to write in
 * (Neo.ClientError.Statement.AccessMode). A read that goes through a write
 * transaction fails here, as does a "read" that writes.
 */
class ReadsOnly extends Neo4jService {
  override async write<T>(_work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    throw new WritePathError('write transaction');
  }

  override async run<R extends RecordShape = RecordShape>(query: string): Promise<QueryResult<R>> {
    throw new WritePathError(`write query: ${query.trim().split('\n')[0]}`);
  }

  override async autoCommit(query: string): Promise<void> {
    throw new WritePathError(`auto-commit write: ${query.trim().split('\n')[0]}`);
  }
}

/**
 * Every read of every repository goes through a read transaction (DESIGN §1):
 * with a routing `neo4j://` URI on a cluster the driver then sends it to a
 * follower or read replica, and only writes go to the leader. Each read method
 * runs against the real Neo4j through ReadsOnly, over the small network (a
 * domain error such as "not found" is an answer; a write path or a server
 * refusal is not).
 */
describe('reads go through read transactions (real Neo4j)', () => {
  const p = uniquePrefix('reads');
  const config = workerConfig({ QUEUE_PREFIX: p.slice(0, -1) });
  const writer = new Neo4jService(config);
  const neo4j = new ReadsOnly(config);
  const net = smallNetwork(p);

  beforeAll(async () => {
    // A few nodes to read (written through the ordinary service, not the one under test).
    await writer.run(
      `UNWIND $sites AS s
       MERGE (sup:Supplier {id: s.supplierId}) SET sup.name = s.supplierId, sup.country = s.country
       MERGE (site:Site {id: s.id}) SET site.supplierId = s.supplierId, site.name = s.name, site.kind = s.kind, site.country = s.country,
         site.location = point({latitude: s.lat, longitude: s.lon}), site.ttrDays = 30
       MERGE (sup)-[:OPERATES]->(site)`,
      { sites: net.sites },
    );
    await writer.run('UNWIND $skus AS k MERGE (s:Sku {id: k.id}) SET s.name = k.name, s.dailyRevenue = k.dailyRevenue', { skus: net.skus });
  });

  afterAll(async () => {
    await writer.run('MATCH (n) WHERE n.id STARTS WITH $p DETACH DELETE n', { p });
    await writer.onApplicationShutdown();
    await neo4j.onApplicationShutdown();
  });

  const site = `${p}T2b`;
  const sku = `${p}SKU-A`;
  const supplier = `${p}SUP-T2`;
  const graph = new SupplyGraphRepository(neo4j);
  const events = new EventRepository(neo4j);
  const exposures = new ExposureRepository(neo4j);
  const reader = new SupplyNetworkReader(neo4j);
  const keys = new ApiKeyRepository(neo4j);
  const audit = new AuditRepository(neo4j);
  const captures = new CaptureRepository(neo4j);
  const epcis = new EpcisEventRepository(neo4j);
  const trace = new TraceRepository(neo4j);
  const portal = new PortalRepository(neo4j);
  const surveys = new SurveyRepository(neo4j);
  const disclosures = new DisclosureRepository(neo4j);

  const reads: Array<[string, () => Promise<unknown>]> = [
    ['Neo4jService.databaseId', () => neo4j.databaseId()],
    ['Neo4jService.ping', () => neo4j.ping()],
    ['SupplyNetworkReader.graphStamp', () => reader.graphStamp()],
    ['SupplyNetworkReader.read', () => reader.read({ supplier: () => {}, site: () => {}, sku: () => {}, edge: () => {} })],
    ['SupplyGraphRepository.supplier', () => graph.supplier(supplier)],
    ['SupplyGraphRepository.suppliers', () => graph.suppliers(10)],
    ['SupplyGraphRepository.site', () => graph.site(site)],
    ['SupplyGraphRepository.sites', () => graph.sites(10)],
    ['SupplyGraphRepository.sku', () => graph.sku(sku)],
    ['SupplyGraphRepository.skus', () => graph.skus(10)],
    ['SupplyGraphRepository.upstream', () => graph.upstream(sku, 3)],
    ['SupplyGraphRepository.downstream', () => graph.downstream(supplier)],
    ['ImportRepository.facts', () => new ImportRepository(neo4j, new SupplyNetworkWriter(neo4j)).facts(referenceQuery(p))],
    ['EventRepository.databaseId', () => events.databaseId()],
    ['EventRepository.sitesInside', () => events.sitesInside({ type: 'Point', coordinates: [120.3, 22.63], radiusKm: 20 })],
    ['EventRepository.activeIdsOfSource', () => events.activeIdsOfSource(`${p}feed`)],
    ['EventRepository.get', () => events.get(`${p}EV`)],
    ['EventRepository.list', () => events.list(10)],
    ['EventRepository.activeImpacts', () => events.activeImpacts()],
    ['EventRepository.activeImpacts (named)', () => events.activeImpacts([`${p}EV`])],
    ['EventRepository.anticipatedImpacts', () => events.anticipatedImpacts()],
    ['ExposureRepository.storedById', () => exposures.storedById()],
    ['ExposureRepository.storedOutlooks', () => exposures.storedOutlooks()],
    ['ExposureRepository.storedAttributionKeys', () => exposures.storedAttributionKeys()],
    ['ExposureRepository.stamp', () => exposures.stamp()],
    ['ExposureRepository.list', () => exposures.list(10, undefined, {})],
    ['ExposureRepository.list (by event)', () => exposures.list(10, undefined, { eventId: `${p}EV` })],
    ['ExposureRepository.listOutlooks', () => exposures.listOutlooks(10, undefined, {})],
    ['ExposureRepository.outlookOf', () => exposures.outlookOf(sku)],
    ['ExposureRepository.one', () => exposures.one(sku)],
    ['SensorRepository.get', () => new SensorRepository(neo4j).get(`${p}sensor`)],
    ['SensorRepository.findMany', () => new SensorRepository(neo4j).findMany([`${p}sensor`])],
    ['SensorRepository.all', () => new SensorRepository(neo4j).all()],
    ['AuditRepository.pageDescending', () => audit.pageDescending(1_000_000, 5)],
    ['AuditRepository.bySeq', () => audit.bySeq(1)],
    ['AuditRepository.read (head, page)', () => audit.read(async (tx) => audit.pageAscending(tx, 0, (await audit.head(tx)).seq, 5))],
    ['ApiKeyRepository.activeByHash', () => keys.activeByHash('0'.repeat(64))],
    ['ApiKeyRepository.anyActive', () => keys.anyActive('admin')],
    ['ApiKeyRepository.list', () => keys.list(10, undefined, { revoked: false })],
    ['MaskingRepository.maskedAmong', () => new MaskingRepository(neo4j).maskedAmong([supplier])],
    ['AlertContextRepository.load', () => new AlertContextRepository(neo4j).load([sku], [`${p}EV`], [site])],
    ['SubscriptionRepository.get', () => new SubscriptionRepository(neo4j, config).get(`${p}sub`)],
    ['SubscriptionRepository.list', () => new SubscriptionRepository(neo4j, config).list(10, undefined)],
    ['SubscriptionRepository.all', () => new SubscriptionRepository(neo4j, config).all()],
    ['OnboardingRepository.sitesNear', () => new OnboardingRepository(neo4j).sitesNear([{ lat: 22.63, lon: 120.3, country: 'TW', km: 5 }])],
    ['OnboardingRepository.rejectionsAmong', () => new OnboardingRepository(neo4j).rejectionsAmong([site])],
    ['CaptureRepository.get', () => captures.get(`${p}capture`)],
    ['CaptureRepository.sitesByGln', () => captures.sitesByGln(['4012345000016'])],
    ['EpcisEventRepository.byHash', () => epcis.byHash(`${p}hash`, null)],
    ['EpcisEventRepository.byEventId', () => epcis.byEventId(`${p}event`, null)],
    ['EpcisEventRepository.links', () => epcis.links(`${p}hash`)],
    ['EpcisEventRepository.receiptFacts', () => epcis.receiptFacts(`${p}capture`)],
    ['EpcisEventRepository.unmapped', () => epcis.unmapped(null, 10)],
    ['TraceRepository.read (lots)', () => trace.read(async (tx) => trace.lots(tx, [`${p}lot`]))],
    ['PortalRepository.profile', () => portal.profile(supplier)],
    ['PortalRepository.site', () => portal.site(supplier, site)],
    ['PortalRepository.sites', () => portal.sites(supplier, 10, undefined)],
    ['SitePlacements.withPlacements', () => new SitePlacements(neo4j).withPlacements([{ id: site }])],
    ['SurveyRepository.ofSupplier', () => surveys.ofSupplier(supplier, null, 0, 10)],
    ['SurveyRepository.all', () => surveys.all({ states: null }, 0, 10)],
    ['SurveyRepository.one', () => surveys.one(supplier, `${p}EV`, site)],
    ['DisclosureRepository.suppliers', () => disclosures.suppliers(supplier, 10)],
    ['DisclosureRepository.supplier', () => disclosures.supplier(supplier, `${p}SUP-C`)],
    ['DisclosureRepository.sites', () => disclosures.sites(supplier, 10)],
    ['DisclosureRepository.links', () => disclosures.links(supplier, 10)],
  ];

  it.each(reads)('%s reads through a read transaction', async (_name, read) => {
    const outcome = await read().then(
      () => null,
      (error: unknown) => error,
    );
    if (outcome instanceof WritePathError || outcome instanceof Neo4jError) throw outcome;
  });

  it('fails a write path, and the server refuses a write inside a read transaction', async () => {
    await expect(new ExposureRepository(neo4j).apply([], [], { remove: [], write: [], rekey: [] }, 'stamp')).rejects.toBeInstanceOf(WritePathError);
    await expect(neo4j.read((tx) => tx.run('MERGE (m:ExposureMeta {id: $id})', { id: `${p}probe` }))).rejects.toMatchObject({
      code: 'Neo.ClientError.Statement.AccessMode',
    });
    await expect(neo4j.query('CREATE (:Probe {id: $id})', { id: `${p}probe` })).rejects.toMatchObject({ code: 'Neo.ClientError.Statement.AccessMode' });
  });
});

function referenceQuery(p: string): ReferenceQuery {
  return {
    supplierIds: [`${p}SUP-T2`],
    siteIds: [`${p}T2b`],
    skuIds: [`${p}SKU-A`],
    partIds: [`${p}P-mod`],
    receiverIds: [`${p}M1`],
    glns: [],
    skuGtins: [],
    partGtins: [],
  };
}
