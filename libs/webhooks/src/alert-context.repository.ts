import { Injectable } from '@nestjs/common';
import { Neo4jService } from '@tiersight/graph';

export interface SkuFacts {
  id: string;
  name: string | null;
  category: string | null;
}

export interface EventFacts {
  id: string;
  type: string | null;
  title: string | null;
  status: string | null;
  /** An anticipated event's forecast basis (a sensor trend, an advisory), as the event stores it. */
  forecast?: unknown;
}

export interface AlertGraphFacts {
  skus: Map<string, SkuFacts>;
  events: Map<string, EventFacts>;
  /** Countries of each site (its own and its supplier's). */
  siteCountries: Map<string, string[]>;
}

const FACTS = `
CALL { UNWIND $skuIds AS id MATCH (k:Sku {id: id}) RETURN collect({id: k.id, name: k.name, category: k.category}) AS skus }
CALL { UNWIND $eventIds AS id MATCH (e:Event {id: id}) RETURN collect({id: e.id, type: e.type, title: e.title, status: e.status, forecast: e.forecastBasisJson}) AS events }
CALL {
  UNWIND $nodeIds AS id MATCH (s:Site {id: id})
  OPTIONAL MATCH (sup:Supplier)-[:OPERATES]->(s)
  WITH s, collect(sup.country) AS supplierCountries
  RETURN collect({id: s.id, countries: [c IN [s.country] + supplierCountries WHERE c IS NOT NULL]}) AS sites
}
RETURN skus, events, sites`;

/** What alerts need to know from the graph about a batch of exposure changes, in one read. */
@Injectable()
export class AlertContextRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async load(skuIds: string[], eventIds: string[], nodeIds: string[]): Promise<AlertGraphFacts> {
    const res = await this.neo4j.read((tx) => tx.run(FACTS, { skuIds, eventIds, nodeIds }));
    const r = res.records[0];
    const skus = r.get('skus') as SkuFacts[];
    const events = r.get('events') as Array<Omit<EventFacts, 'forecast'> & { forecast: string | null }>;
    const sites = r.get('sites') as Array<{ id: string; countries: string[] }>;
    return {
      skus: new Map(skus.map((s) => [s.id, { id: s.id, name: s.name ?? null, category: s.category ?? null }])),
      events: new Map(
        events.map((e) => [
          e.id,
          // The forecast an anticipated event stands on (DESIGN §10: the why travels with the alert); absent for others.
          {
            id: e.id,
            type: e.type ?? null,
            title: e.title ?? null,
            status: e.status ?? null,
            ...(e.forecast ? { forecast: JSON.parse(e.forecast) as unknown } : {}),
          },
        ]),
      ),
      siteCountries: new Map(sites.map((s) => [s.id, [...new Set(s.countries)]])),
    };
  }
}
