import type { EpcisDocument } from '@tiersight/epcis-formats';
import { eventLocation, type EventLocation } from './capture-model';
import { siteKeysOf, siteOf, type SiteMatch } from './event-rows';
import type { TraceabilityFieldError } from './traceability.error';

const LOCATION_FIELDS = ['readPoint', 'bizLocation'] as const;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The readPoint and bizLocation of every event of a document, with their JSON pointers. */
export function documentLocations(document: EpcisDocument): { eventIndex: number; field: (typeof LOCATION_FIELDS)[number]; location: EventLocation }[] {
  return document.epcisBody.eventList.flatMap((event, eventIndex) =>
    LOCATION_FIELDS.flatMap((field) => {
      const place = event[field];
      const id = isRecord(place) && typeof place['id'] === 'string' ? place['id'].trim() : '';
      return id === '' ? [] : [{ eventIndex, field, location: eventLocation(id) }];
    }),
  );
}

/** The GLN keys to look the document's locations up by. */
export function locationKeys(document: EpcisDocument): string[] {
  return [...new Set(documentLocations(document).flatMap((l) => siteKeysOf(l.location)))];
}

/**
 * Where a supplier key may not capture: every event must name at least one
 * location, and every location it names must be one of the supplier's own
 * sites (by the site's GLN). One error per offending place, naming it.
 */
export function supplierScopeErrors(
  document: EpcisDocument,
  supplierId: string,
  sites: ReadonlyMap<string, SiteMatch>,
): { errors: TraceabilityFieldError[]; locations: string[] } {
  const errors: TraceabilityFieldError[] = [];
  const locations = new Set<string>();
  const located = new Set<number>();
  for (const { eventIndex, field, location } of documentLocations(document)) {
    located.add(eventIndex);
    const site = siteOf(location, sites);
    if (site !== null && site.supplierId === supplierId) continue;
    locations.add(location.raw);
    errors.push({
      eventIndex,
      pointer: `/epcisBody/eventList/${eventIndex}/${field}/id`,
      message:
        site === null
          ? `${location.raw} is not the GLN of any of your sites`
          : `${location.raw} is the location of a site of another supplier; a supplier key captures events only at its own sites`,
    });
  }
  document.epcisBody.eventList.forEach((_event, eventIndex) => {
    if (!located.has(eventIndex)) {
      errors.push({
        eventIndex,
        pointer: `/epcisBody/eventList/${eventIndex}`,
        message: 'the event names no readPoint or bizLocation; a supplier key captures events only at its own sites',
      });
    }
  });
  return { errors: errors.sort((a, b) => (a.eventIndex ?? 0) - (b.eventIndex ?? 0)), locations: [...locations] };
}
