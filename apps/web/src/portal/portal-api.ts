import { client, type Schemas, unwrap, withKey } from '../api';
import type { paths } from '../api/schema';

// The supplier portal's API (/v1/portal/…, supplier keys only): every call the portal pages make is here.

export type DisclosedSupplier = Schemas['DisclosedSupplier'];
export type DisclosureResult = Schemas['DisclosureResult'];
export type Survey = Schemas['SupplierSurvey'];
export type SurveyAnswer = Schemas['SurveyAnswerDto'];

/** A batch of sub-tier suppliers, sites and links, as POST /v1/portal/subtier takes it. */
export type Disclosure = paths['/v1/portal/subtier']['post']['requestBody']['content']['application/json'];
export type DisclosureEntity = keyof Disclosure;

/** One CSV file of one entity, sent as it is. */
const csvBody = (csv: string) => ({ body: csv, bodySerializer: (text: string) => text, headers: { 'content-type': 'text/csv' } });

const CSV_UPLOADS: Record<DisclosureEntity, (csv: string) => Promise<DisclosureResult>> = {
  suppliers: (csv) => unwrap(client.POST('/v1/portal/subtier/suppliers.csv', csvBody(csv))),
  sites: (csv) => unwrap(client.POST('/v1/portal/subtier/sites.csv', csvBody(csv))),
  links: (csv) => unwrap(client.POST('/v1/portal/subtier/links.csv', csvBody(csv))),
};

export async function whoAmI(key?: string): Promise<{ supplierId: string; name: string | null }> {
  const me = await unwrap(client.GET('/v1/portal/profile', key ? withKey(key) : {}));
  return { supplierId: me.id, name: me.name ?? null };
}

export const portal = {
  profile: () => unwrap(client.GET('/v1/portal/profile')),
  sites: (cursor?: string) => unwrap(client.GET('/v1/portal/sites', { params: { query: { limit: 200, cursor } } })),
  suppliers: (cursor?: string) => unwrap(client.GET('/v1/portal/subtier/suppliers', { params: { query: { limit: 200, cursor } } })),
  /** Adds or (same ref) updates sub-tier suppliers, their sites and links, all or nothing. */
  disclose: (body: Disclosure) => unwrap(client.POST('/v1/portal/subtier', { body })),
  /** One CSV file of one entity; row errors come back with the file's line numbers. */
  discloseCsv: (entity: DisclosureEntity, csv: string) => CSV_UPLOADS[entity](csv),
  /** Every survey addressed to the supplier (open ones have state `potential`). */
  surveys: () => unwrap(client.GET('/v1/portal/surveys', { params: { query: { limit: 100, state: 'all' } } })),
  answer: (id: string, answer: SurveyAnswer) => unwrap(client.POST('/v1/portal/surveys/{id}/answer', { params: { path: { id } }, body: answer })),
};
