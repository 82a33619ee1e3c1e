import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { canonicalGln, DEFAULT_TTR_DAYS, DisclosureWrite, Page, SupplyNetworkWriter } from '@tiersight/graph';
import { DisclosedLink, DisclosedSite, DisclosedSupplier, DisclosureRepository } from './disclosure.repository';
import { checkDisclosureReferences, checkDisclosureShapes, Disclosure, DisclosureEntity, disclosureCsvRows, DisclosureRowError } from './disclosure-rows';
import { PortalError, PortalErrorCode } from './portal.error';
import { newPortalId, PortalActor } from './portal-sites.service';
import { PortalWriter } from './portal-writer';

export interface DisclosureResult {
  suppliers: number;
  sites: number;
  links: number;
  nodesCreated: number;
  relationshipsCreated: number;
  /** The id the platform gave (or had given) each ref of the batch. */
  ids: { suppliers: Record<string, string>; sites: Record<string, string>; parts: Record<string, string> };
}

/** Batches up to this many rows are copied into the audit entry; larger ones by counts and SHA-256. */
const AUDIT_ROWS_INLINE = 1000;

/** Sub-tier suppliers, their sites and their links into the supplier's sites, disclosed by the supplier. */
@Injectable()
export class DisclosureService {
  constructor(
    private readonly repo: DisclosureRepository,
    private readonly writer: PortalWriter,
    private readonly network: SupplyNetworkWriter,
  ) {}

  /** All or nothing: a batch with any bad row writes nothing and answers 422 with every row error. */
  async disclose(actor: PortalActor, body: unknown, lines?: Partial<Record<DisclosureEntity, number[]>>): Promise<DisclosureResult> {
    const { rows, errors } = checkDisclosureShapes(body, lines);
    if (errors.length) throw rejected(errors);
    const owner = actor.supplierId;
    return this.writer.write(actor, async (tx) => {
      const facts = await this.network.disclosureOwnerFacts(tx, owner);
      const ids = {
        suppliers: assign(
          facts.suppliers,
          rows.suppliers.map((s) => s.ref),
          'SUP',
        ),
        sites: assign(
          facts.sites,
          rows.sites.map((s) => s.ref),
          'S',
        ),
        parts: assign(
          facts.parts,
          rows.links.map((l) => l.part),
          'P',
        ),
      };
      const targets = new Set([...facts.own, ...facts.sites.values()]);
      const toIds = [...new Set(rows.links.map((l) => l.toSiteId ?? ids.sites.get(l.toSiteRef!)).filter((id): id is string => !!id && targets.has(id)))];
      const incoming = await this.network.incomingSupplies(tx, toIds, [...new Set(rows.links.map((l) => ids.parts.get(l.part)!))]);
      const refErrors = checkDisclosureReferences(rows, { ...facts, targets, incoming }, ids);
      if (refErrors.length) throw rejected(withLines(refErrors, lines));
      const written = toWrite(rows, ids);
      const counts = await this.network.writeDisclosure(tx, owner, written);
      const result: DisclosureResult = {
        suppliers: rows.suppliers.length,
        sites: rows.sites.length,
        links: rows.links.length,
        ...counts,
        ids: {
          suppliers: pick(
            ids.suppliers,
            rows.suppliers.map((s) => s.ref),
          ),
          sites: pick(
            ids.sites,
            rows.sites.map((s) => s.ref),
          ),
          parts: pick(
            ids.parts,
            rows.links.map((l) => l.part),
          ),
        },
      };
      const total = rows.suppliers.length + rows.sites.length + rows.links.length;
      if (total === 0) return { result, audit: null };
      const change =
        total <= AUDIT_ROWS_INLINE ? { rows: written, counts } : { counts, rowsSha256: createHash('sha256').update(JSON.stringify(written)).digest('hex') };
      return { result, audit: { action: 'portal.disclose', target: owner, change } };
    });
  }

  /** One CSV file of one entity; its row errors carry the file's line numbers. */
  discloseCsv(actor: PortalActor, entity: DisclosureEntity, text: string): Promise<DisclosureResult> {
    const parsed = disclosureCsvRows(entity, text);
    if (parsed.errors.length) throw rejected(parsed.errors);
    return this.disclose(actor, { [entity]: parsed.rows }, { [entity]: parsed.lines });
  }

  suppliers(owner: string, limit: number, cursor?: string): Promise<Page<DisclosedSupplier>> {
    return this.repo.suppliers(owner, limit, cursor);
  }

  async supplier(owner: string, id: string): Promise<DisclosedSupplier> {
    const found = await this.repo.supplier(owner, id);
    if (!found) throw new PortalError(PortalErrorCode.NotFound, 'no such supplier');
    return found;
  }

  sites(owner: string, limit: number, cursor?: string, supplierId?: string): Promise<Page<DisclosedSite>> {
    return this.repo.sites(owner, limit, cursor, supplierId);
  }

  links(owner: string, limit: number, cursor?: string): Promise<Page<DisclosedLink>> {
    return this.repo.links(owner, limit, cursor);
  }
}

function assign(known: ReadonlyMap<string, string>, refs: string[], prefix: 'SUP' | 'S' | 'P'): Map<string, string> {
  const out = new Map(known);
  for (const ref of refs) if (!out.has(ref)) out.set(ref, newPortalId(prefix));
  return out;
}

function pick(ids: ReadonlyMap<string, string>, refs: string[]): Record<string, string> {
  return Object.fromEntries(refs.map((r) => [r, ids.get(r)!]));
}

function toWrite(rows: Disclosure, ids: { suppliers: Map<string, string>; sites: Map<string, string>; parts: Map<string, string> }): DisclosureWrite {
  const partNames = new Map<string, string | null>();
  for (const l of rows.links) if (!partNames.has(l.part) || l.partName) partNames.set(l.part, l.partName ?? null);
  return {
    suppliers: rows.suppliers.map((s) => ({ id: ids.suppliers.get(s.ref)!, ref: s.ref, name: s.name, country: s.country, visibility: s.visibility })),
    sites: rows.sites.map((s) => ({
      id: ids.sites.get(s.ref)!,
      ref: s.ref,
      supplierId: ids.suppliers.get(s.supplierRef)!,
      name: s.name,
      kind: s.kind,
      lat: s.lat,
      lon: s.lon,
      country: s.country,
      ttrDays: s.ttrDays ?? DEFAULT_TTR_DAYS[s.kind] ?? 30,
      gln: s.gln === undefined ? null : storedGln(s.gln),
    })),
    parts: [...partNames].map(([ref, name]) => ({ id: ids.parts.get(ref)!, ref, name })),
    links: rows.links.map((l) => ({
      fromSiteId: ids.sites.get(l.fromSiteRef)!,
      toSiteId: l.toSiteId ?? ids.sites.get(l.toSiteRef!)!,
      partId: ids.parts.get(l.part)!,
      share: l.share,
      bufferDays: l.bufferDays,
      leadTimeDays: l.leadTimeDays,
    })),
  };
}

/** The stored form of a GLN the row checks already passed. */
function storedGln(gln: string): string | null {
  const read = canonicalGln(gln);
  return read.ok ? read.value : null;
}

function withLines(errors: DisclosureRowError[], lines?: Partial<Record<DisclosureEntity, number[]>>): DisclosureRowError[] {
  if (!lines) return errors;
  return errors.map((e) => {
    const line = e.entity !== 'body' ? lines[e.entity]?.[e.index] : undefined;
    return line !== undefined ? { ...e, line } : e;
  });
}

function rejected(errors: DisclosureRowError[]): PortalError {
  return new PortalError(PortalErrorCode.DisclosureRejected, `${errors.length} row error(s); nothing was written`, { errors });
}
