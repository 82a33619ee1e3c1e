import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { randomBytes } from 'node:crypto';
import { AuditActor } from '@tiersight/audit';
import type { FieldError } from '@tiersight/contracts';
import { canonicalGln, checkField, DEFAULT_TTR_DAYS, Page, ROW_RULES, SupplyNetworkWriter } from '@tiersight/graph';
import { PortalProfile, PortalRepository, PortalSite, SiteFields, SiteFilter } from './portal.repository';
import { PortalError, PortalErrorCode } from './portal.error';
import { PortalWriter } from './portal-writer';
import { placementAfterEdit } from './pin-edit';
import { SitePlacements } from './site-placement.repository';

/** The caller of a portal route: a supplier key, bound to one supplier. */
export type PortalActor = AuditActor & { supplierId: string };

export interface NewSite {
  ref?: string;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  country: string;
  ttrDays?: number;
  /** GS1 location id (GLN, SGLN EPC URI or Digital Link), stored in canonical form; null removes it. */
  gln?: string | null;
}

export type SitePatch = Partial<Omit<NewSite, 'ref'>>;

/** Ids the platform gives to what suppliers add: random, so they say nothing about who or what they name. */
export const newPortalId = (prefix: 'S' | 'SUP' | 'P'): string => `${prefix}-${randomBytes(9).toString('base64url')}`;

const SITE_FIELDS = ['name', 'kind', 'lat', 'lon', 'country', 'ttrDays', 'gln'] as const;

/** The supplier's own profile and sites. */
@Injectable()
export class PortalSitesService {
  constructor(
    private readonly repo: PortalRepository,
    private readonly writer: PortalWriter,
    private readonly network: SupplyNetworkWriter,
    private readonly placements: SitePlacements,
  ) {}

  async profile(supplierId: string): Promise<PortalProfile> {
    const profile = await this.repo.profile(supplierId);
    if (!profile) throw supplierGone();
    return profile;
  }

  async updateProfile(actor: PortalActor, patch: { name?: string; country?: string }): Promise<PortalProfile> {
    invalidIfAny([
      ...(patch.name !== undefined ? fieldErrors('name', ROW_RULES.suppliers.name, patch.name) : []),
      ...(patch.country !== undefined ? fieldErrors('country', ROW_RULES.suppliers.country, patch.country) : []),
    ]);
    if (patch.name === undefined && patch.country === undefined) return this.profile(actor.supplierId);
    await this.writer.write(actor, async (tx) => {
      const before = await this.network.updateSupplierProfile(tx, actor.supplierId, patch);
      if (!before) throw supplierGone();
      return { result: null, audit: { action: 'portal.profile.update', target: actor.supplierId, change: { before, after: patch } } };
    });
    return this.profile(actor.supplierId);
  }

  sites(supplierId: string, limit: number, cursor?: string, filter: SiteFilter = {}): Promise<Page<PortalSite>> {
    return this.repo.sites(supplierId, limit, cursor, filter);
  }

  async site(supplierId: string, id: string): Promise<PortalSite> {
    const site = await this.repo.site(supplierId, id);
    if (!site) throw noSuchSite();
    return site;
  }

  async addSite(actor: PortalActor, input: NewSite): Promise<PortalSite> {
    const fields = completeSite(input);
    invalidIfAny([...(input.ref !== undefined ? fieldErrors('ref', { kind: 'id', required: true }, input.ref) : []), ...siteErrors(fields)]);
    fields.gln = canonicalSiteGln(fields.gln);
    const id = newPortalId('S');
    return this.writer.write(actor, async (tx) => {
      if (input.ref !== undefined && (await this.network.siteRefTaken(tx, actor.supplierId, input.ref, id))) {
        throw new PortalError(PortalErrorCode.RefTaken, 'another of your sites has this ref');
      }
      if (!(await this.network.createSupplierSite(tx, actor.supplierId, id, input.ref ?? null, fields))) throw supplierGone();
      const site = await this.written(tx, actor.supplierId, id);
      return { result: site, audit: { action: 'portal.site.create', target: id, change: { ref: input.ref ?? null, ...fields } } };
    });
  }

  async editSite(actor: PortalActor, id: string, patch: SitePatch): Promise<PortalSite> {
    return this.writer.write(actor, async (tx) => {
      const current = await this.repo.site(actor.supplierId, id, tx);
      if (!current) throw noSuchSite();
      if (current.status === 'retired') throw new PortalError(PortalErrorCode.SiteRetired, 'a retired site cannot be edited');
      const before: SiteFields = {
        name: current.name,
        kind: current.kind,
        lat: current.lat,
        lon: current.lon,
        country: current.country,
        ttrDays: current.ttrDays ?? DEFAULT_TTR_DAYS[current.kind] ?? 30,
        gln: current.gln ?? null,
      };
      const fields: SiteFields = { ...before, ...definedOnly(patch) } as SiteFields;
      if (patch.kind !== undefined && patch.ttrDays === undefined && current.ttrDays === null) fields.ttrDays = DEFAULT_TTR_DAYS[patch.kind] ?? fields.ttrDays;
      invalidIfAny(siteErrors(fields));
      fields.gln = canonicalSiteGln(fields.gln);
      const changedFields = SITE_FIELDS.filter((f) => fields[f] !== before[f]);
      await this.network.updateSupplierSite(tx, actor.supplierId, id, fields);
      // A moved pin is the supplier's own: it no longer waits for a confirmation.
      const placement = placementAfterEdit(current, fields);
      if (placement) await this.placements.moved(tx, actor.supplierId, id);
      const site = await this.written(tx, actor.supplierId, id);
      const change = { ...Object.fromEntries(changedFields.map((f) => [f, { from: before[f], to: fields[f] }])), ...placement };
      return { result: site, audit: { action: 'portal.site.update', target: id, change } };
    });
  }

  /**
   * Confirms the pin of a site placed from an address where it stands (the
   * precision it was found with stays on record). A site whose pin does not
   * wait for a confirmation is answered as it is, and nothing is written.
   */
  async confirmLocation(actor: PortalActor, id: string): Promise<PortalSite> {
    return this.writer.write(actor, async (tx) => {
      const current = await this.repo.site(actor.supplierId, id, tx);
      if (!current) throw noSuchSite();
      if (current.status === 'retired') throw new PortalError(PortalErrorCode.SiteRetired, 'a retired site has no pin to confirm');
      if (!current.locationToConfirm) return { result: current, audit: null };
      await this.placements.confirmed(tx, actor.supplierId, id);
      const site = await this.written(tx, actor.supplierId, id);
      const { lat, lon, locationPrecision, locationRadiusKm } = site;
      return {
        result: site,
        audit: {
          action: 'portal.site.confirm-location',
          target: id,
          change: { lat, lon, locationPrecision, locationRadiusKm, locationToConfirm: { from: true, to: false } },
        },
      };
    });
  }

  /** Retires a site: it stays on record, but no longer ships or receives (its SUPPLIES edges are removed and audited). */
  async retireSite(actor: PortalActor, id: string): Promise<PortalSite> {
    return this.writer.write(actor, async (tx) => {
      const current = await this.repo.site(actor.supplierId, id, tx);
      if (!current) throw noSuchSite();
      if (current.status === 'retired') return { result: current, audit: null };
      const removed = await this.network.retireSupplierSite(tx, actor.supplierId, id);
      const site = await this.written(tx, actor.supplierId, id);
      return { result: site, audit: { action: 'portal.site.retire', target: id, change: { removedEdges: removed } } };
    });
  }

  /** The site as written, read back in the writing transaction. */
  private async written(tx: ManagedTransaction, supplierId: string, id: string): Promise<PortalSite> {
    const site = await this.repo.site(supplierId, id, tx);
    if (!site) throw noSuchSite();
    return site;
  }
}

export function supplierGone(): PortalError {
  return new PortalError(PortalErrorCode.NotFound, 'the supplier of this key no longer exists');
}

function noSuchSite(): PortalError {
  return new PortalError(PortalErrorCode.NotFound, 'no such site');
}

export function completeSite(input: NewSite): SiteFields {
  return {
    name: input.name,
    kind: input.kind,
    lat: input.lat,
    lon: input.lon,
    country: input.country,
    ttrDays: input.ttrDays ?? DEFAULT_TTR_DAYS[input.kind] ?? 30,
    gln: input.gln ?? null,
  };
}

/** The stored form of a GLN already checked (null stays null: no GLN). */
function canonicalSiteGln(gln: string | null | undefined): string | null {
  if (gln === null || gln === undefined) return null;
  const read = canonicalGln(gln);
  return read.ok ? read.value : null;
}

export function siteErrors(f: SiteFields): FieldError[] {
  // No GLN (null) is allowed; any other value must be one.
  return SITE_FIELDS.flatMap((field) => fieldErrors(field, ROW_RULES.sites[field], f[field] === null ? undefined : f[field]));
}

function fieldErrors(field: string, rule: Parameters<typeof checkField>[0], value: unknown): FieldError[] {
  const problem = checkField(rule, value);
  return problem ? [{ field, message: `${field} ${problem}` }] : [];
}

function invalidIfAny(errors: FieldError[]): void {
  if (errors.length) throw new PortalError(PortalErrorCode.InvalidSite, errors.map((e) => e.message).join('; '), { errors });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
