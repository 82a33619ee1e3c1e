import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { createHash } from 'node:crypto';
import type { FieldError, SitePlacement } from '@tiersight/contracts';
import { DEFAULT_TTR_DAYS, SupplyNetworkWriter } from '@tiersight/graph';
import { PortalRepository, PortalSite, SiteFields } from './portal.repository';
import { PortalError, PortalErrorCode } from './portal.error';
import { completeSite, newPortalId, PortalActor, siteErrors, supplierGone } from './portal-sites.service';
import { PortalWriter } from './portal-writer';
import { SitePlacements } from './site-placement.repository';

/** One site of a supplier's confirmed list of its own sites. */
export interface ListedSite {
  /** the row of the list (as a spreadsheet numbers it), for errors and the audit entry */
  row: number;
  /**
   * The id the list's review gave the row's site. An active site of the supplier with this id is
   * updated (a list uploaded again); any other row becomes a new site with a random platform id.
   */
  plannedId: string;
  name: string;
  lat: number;
  lon: number;
  country: string;
  /** how the pin was found; null when the supplier gave the coordinates in its decision */
  placement: SitePlacement | null;
}

export interface OwnSiteListWrite {
  /** plannedId → the id of the site written */
  ids: Record<string, string>;
  created: number;
  updated: number;
  graphVersion: number;
}

/** Lists up to this many sites are copied into the audit entry; larger ones by counts and SHA-256. */
const AUDIT_ROWS_INLINE = 1000;
/** Sites from a list are plants until their supplier says otherwise (a list has no kind column). */
const LISTED_KIND = 'plant';

/**
 * A supplier's list of its own sites, confirmed (`POST /v1/portal/onboarding/lists/:id/confirm`):
 * written through the portal's write path — one transaction under the graph lock, one
 * `portal.sites.list` audit entry, `graph.changed` — all or nothing. Each site is the caller's
 * (source `supplier`), with its pin's placement; `alsoInTransaction` adds the caller's own records
 * (the duplicate pairs the supplier rejected) to the same transaction.
 */
@Injectable()
export class OwnSiteListService {
  constructor(
    private readonly repo: PortalRepository,
    private readonly writer: PortalWriter,
    private readonly network: SupplyNetworkWriter,
    private readonly placements: SitePlacements,
  ) {}

  async write(
    actor: PortalActor,
    listId: string,
    sites: readonly ListedSite[],
    alsoInTransaction?: (tx: ManagedTransaction) => Promise<void>,
  ): Promise<OwnSiteListWrite> {
    const errors = listedSiteErrors(sites);
    if (errors.length) throw new PortalError(PortalErrorCode.InvalidSite, `${errors.length} site error(s); nothing was written`, { errors });
    const supplierId = actor.supplierId;
    const { result, graphVersion } = await this.writer.writeVersioned(actor, async (tx) => {
      const current = await this.repo.sitesAmong(
        tx,
        supplierId,
        sites.map((s) => s.plannedId),
      );
      const own = new Map(current.filter((s) => s.status === 'active').map((s) => [s.id, s]));
      const ids: Record<string, string> = {};
      const created: object[] = [];
      const updated: object[] = [];
      for (const site of sites) {
        const existing = own.get(site.plannedId);
        if (existing) {
          const before = fieldsOf(existing);
          const fields: SiteFields = { ...before, name: site.name, lat: site.lat, lon: site.lon, country: site.country };
          await this.network.updateSupplierSite(tx, supplierId, existing.id, fields);
          ids[site.plannedId] = existing.id;
          updated.push({ id: existing.id, row: site.row, from: before, to: fields, placement: site.placement });
        } else {
          const id = newPortalId('S');
          const fields = listedFields(site);
          if (!(await this.network.createSupplierSite(tx, supplierId, id, null, fields))) throw supplierGone();
          ids[site.plannedId] = id;
          created.push({ id, row: site.row, ...fields, placement: site.placement });
        }
      }
      await this.placements.record(
        tx,
        sites.map((s) => ({ siteId: ids[s.plannedId], placement: s.placement })),
      );
      await alsoInTransaction?.(tx);
      const counts = { created: created.length, updated: updated.length };
      const change =
        sites.length <= AUDIT_ROWS_INLINE
          ? { listId, created, updated }
          : { listId, counts, rowsSha256: createHash('sha256').update(JSON.stringify({ created, updated })).digest('hex') };
      // Audited even when the list wrote no site (every row merged or rejected): the confirm and its rejected pairs are on record.
      return { result: { ids, ...counts }, audit: { action: 'portal.sites.list', target: supplierId, change } };
    });
    return { ...result, graphVersion: graphVersion! }; // a change with an audit entry always makes a version
  }
}

/**
 * What keeps a list from being written, each error naming its row: a field the
 * site rules refuse, or two rows that are one site (the same name, address and
 * country after an edit). Pure.
 */
export function listedSiteErrors(sites: readonly ListedSite[]): FieldError[] {
  const errors: FieldError[] = [];
  const firstRow = new Map<string, number>();
  for (const site of sites) {
    for (const e of siteErrors(listedFields(site))) errors.push({ field: e.field, message: `row ${site.row}: ${e.message}` });
    const first = firstRow.get(site.plannedId);
    if (first === undefined) firstRow.set(site.plannedId, site.row);
    else errors.push({ field: 'row', message: `row ${site.row}: the same site as row ${first} (name, address and country): reject one of them` });
  }
  return errors;
}

function listedFields(site: ListedSite): SiteFields {
  return completeSite({ name: site.name, kind: LISTED_KIND, lat: site.lat, lon: site.lon, country: site.country });
}

function fieldsOf(site: PortalSite): SiteFields {
  const ttrDays = site.ttrDays ?? DEFAULT_TTR_DAYS[site.kind] ?? DEFAULT_TTR_DAYS[LISTED_KIND];
  return { name: site.name, kind: site.kind, lat: site.lat, lon: site.lon, country: site.country, ttrDays, gln: site.gln };
}
