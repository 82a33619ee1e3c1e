import { siteLocationsOf, type PreparedEvent } from './capture-model';

/** Where a location maps to: the site whose GLN it is (exact, or the site's GLN without the location's extension). */
export interface SiteMatch {
  siteId: string;
  supplierId: string | null;
}

/** The keys a location is looked up by, most specific first. */
export function siteKeysOf(location: { id: string; glnBase: string | null }): string[] {
  return location.glnBase === null ? [] : location.glnBase === location.id ? [location.id] : [location.id, location.glnBase];
}

/** The site a location lies at, given what the graph holds for its keys. */
export function siteOf(location: { id: string; glnBase: string | null }, sites: ReadonlyMap<string, SiteMatch>): SiteMatch | null {
  for (const key of siteKeysOf(location)) {
    const site = sites.get(key);
    if (site) return site;
  }
  return null;
}

/** An empty list is no property at all (Neo4j stores nothing for null). */
const orNull = (list: string[]): string[] | null => (list.length > 0 ? list : null);

/** The properties an EpcisEvent node is created with (recordTime and capture are added by the writer). */
export function eventNodeProps(event: PreparedEvent) {
  // Parsing the event's text again costs as much as the rest of its row: only when it can hold a declaration.
  const raw = event.rawJson.includes('"errorDeclaration"') ? (JSON.parse(event.rawJson) as { errorDeclaration?: unknown }) : {};
  return {
    eventHash: event.eventHash,
    eventId: event.declaredEventId,
    declaredHashDiffers: event.declaredHashDiffers,
    type: event.type,
    action: event.action,
    bizStep: event.bizStep,
    disposition: event.disposition,
    eventTime: event.eventTime,
    eventTimeMs: event.eventTimeMs,
    eventTimeZoneOffset: event.eventTimeZoneOffset,
    readPoint: event.readPoint?.id ?? null,
    bizLocation: event.bizLocation?.id ?? null,
    transformationId: event.transformationId,
    sources: orNull(event.sources.map((s) => s.location.id)),
    destinations: orNull(event.destinations.map((d) => d.location.id)),
    bizTransactions: orNull(event.bizTransactions.map((b) => b.id)),
    sensorTypes: orNull([...new Set(event.readings.map((r) => r.type))]),
    sensorReadingsJson: event.readings.length > 0 ? JSON.stringify(event.readings) : null,
    errorDeclarationJson: raw.errorDeclaration === undefined ? null : JSON.stringify(raw.errorDeclaration),
    rawJson: event.rawJson,
    contextJson: event.contextJson,
  };
}

export type EventNodeProps = ReturnType<typeof eventNodeProps>;

/** A link of an event to a site: where it happened (AT, by readPoint or bizLocation), where it came from or went to. */
export interface SiteLink {
  siteId: string;
  rel: 'AT' | 'SOURCE' | 'DESTINATION';
  /** The field (AT) or the source / destination type. */
  via: string;
}

/**
 * A new event as the writer creates it: its properties (but the document's context, sent once per
 * capture) with its links to its lots and to the sites it names.
 */
export interface NewEventRow extends Omit<EventNodeProps, 'contextJson'> {
  index: number;
  lots: { lotId: string; role: string; byClass: boolean; quantity: number | null; uom: string | null }[];
  sites: SiteLink[];
}

export function newEventRow(event: PreparedEvent, sites: ReadonlyMap<string, SiteMatch>): NewEventRow {
  const { contextJson: _shared, ...props } = eventNodeProps(event);
  return {
    ...props,
    index: event.index,
    lots: event.lots.map((l) => ({ lotId: l.lotId, role: l.role, byClass: l.byClass, quantity: l.quantity, uom: l.uom })),
    sites: siteLinksOf(event, sites),
  };
}

/** The sites an event names that the graph holds, each link once. */
export function siteLinksOf(event: PreparedEvent, sites: ReadonlyMap<string, SiteMatch>): SiteLink[] {
  const links = new Map<string, SiteLink>();
  const add = (location: { id: string; glnBase: string | null }, rel: SiteLink['rel'], via: string) => {
    const site = siteOf(location, sites);
    if (site) links.set(`${rel} ${via} ${site.siteId}`, { siteId: site.siteId, rel, via });
  };
  for (const { field, location } of siteLocationsOf(event)) add(location, 'AT', field);
  for (const s of event.sources) add(s.location, 'SOURCE', s.type);
  for (const d of event.destinations) add(d.location, 'DESTINATION', d.type);
  return [...links.values()];
}

/** One lot named by one event, as the writer links it. */
export interface LotRow {
  eventHash: string;
  lotId: string;
  kind: string;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  sscc: string | null;
  role: string;
  byClass: boolean;
  quantity: number | null;
  uom: string | null;
  eventTimeMs: number;
}

export function lotRows(events: readonly PreparedEvent[]): LotRow[] {
  return events.flatMap((e) =>
    e.lots.map((l) => ({
      eventHash: e.eventHash,
      lotId: l.lotId,
      kind: l.kind,
      gtin: l.gtin,
      lot: l.lot,
      serial: l.serial,
      sscc: l.sscc,
      role: l.role,
      byClass: l.byClass,
      quantity: l.quantity,
      uom: l.uom,
      eventTimeMs: e.eventTimeMs,
    })),
  );
}

/** A transformation's input → output pairs within one event (events sharing a transformationID are joined by the writer). */
export function transformationRows(events: readonly PreparedEvent[]): { eventHash: string; eventTimeMs: number; inputs: string[]; outputs: string[] }[] {
  return events
    .filter((e) => e.type === 'TransformationEvent' && e.transformationId === null)
    .map((e) => ({
      eventHash: e.eventHash,
      eventTimeMs: e.eventTimeMs,
      inputs: e.lots.filter((l) => l.role === 'input').map((l) => l.lotId),
      outputs: e.lots.filter((l) => l.role === 'output').map((l) => l.lotId),
    }))
    .filter((t) => t.inputs.length > 0 && t.outputs.length > 0);
}

/** Aggregations (AggregationEvent, AssociationEvent) that pack children into a parent or take them out. */
export function aggregationRows(
  events: readonly PreparedEvent[],
): { eventHash: string; eventTimeMs: number; action: string; parent: string; children: string[] }[] {
  return events.flatMap((e) => {
    if (e.type !== 'AggregationEvent' && e.type !== 'AssociationEvent') return [];
    const parent = e.lots.find((l) => l.role === 'parent');
    if (!parent || e.action === null) return [];
    return [
      {
        eventHash: e.eventHash,
        eventTimeMs: e.eventTimeMs,
        action: e.action,
        parent: parent.lotId,
        children: e.lots.filter((l) => l.role === 'child').map((l) => l.lotId),
      },
    ];
  });
}
