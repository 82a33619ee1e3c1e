import { api } from '../api';
import type { Page } from '../types';

/** The supplier portal's API (/v1/portal/…, supplier keys only): every call the portal pages make is here. */
export interface PortalProfile {
  id: string;
  name: string;
  country: string;
  siteCount: number;
}

export interface PortalSite {
  id: string;
  ref: string | null;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  country: string;
  ttrDays: number | null;
  status: 'active' | 'retired';
  source: string | null;
  confirmedAt: string | null;
}

export interface DisclosedSupplier {
  id: string;
  ref: string;
  name: string;
  country: string;
  visibility: 'shared' | 'masked';
  siteCount: number;
}

export type DisclosureEntity = 'suppliers' | 'sites' | 'links';

export interface DisclosureResult {
  suppliers: number;
  sites: number;
  links: number;
  ids: { suppliers: Record<string, string>; sites: Record<string, string>; parts: Record<string, string> };
}

export type SurveyState = 'potential' | 'confirmed' | 'no-impact' | 'restored';

export interface Survey {
  id: string;
  state: SurveyState;
  event: { id: string; type: string; title: string; severity: number; expectedDurationDays: number; startsAt: string | null };
  site: { id: string; name: string };
  estimate: { x: number; days: number };
  answer: { capacityLoss: number; recoveryDays: number } | null;
  impact: { x: number; days: number };
  askedAt: string;
  answeredAt: string | null;
}

export type SurveyAnswer = { status: 'confirmed'; capacityLoss: number; recoveryDays: number } | { status: 'no-impact' } | { status: 'restored' };

const enc = encodeURIComponent;

export async function whoAmI(key?: string): Promise<{ supplierId: string; name: string | null }> {
  const me = await api<PortalProfile>('/v1/portal/profile', { key });
  return { supplierId: me.id, name: me.name ?? null };
}

export const portal = {
  profile: () => api<PortalProfile>('/v1/portal/profile'),
  sites: (cursor?: string) => api<Page<PortalSite>>('/v1/portal/sites', { query: { limit: 200, cursor } }),
  suppliers: (cursor?: string) => api<Page<DisclosedSupplier>>('/v1/portal/subtier/suppliers', { query: { limit: 200, cursor } }),
  /** Adds or (same ref) updates sub-tier suppliers, their sites and links, all or nothing. */
  disclose: (body: Partial<Record<DisclosureEntity, unknown[]>>) => api<DisclosureResult>('/v1/portal/subtier', { json: body }),
  /** One CSV file of one entity; row errors come back with the file's line numbers. */
  discloseCsv: (entity: DisclosureEntity, csv: string) =>
    api<DisclosureResult>(`/v1/portal/subtier/${enc(entity)}.csv`, { text: { body: csv, type: 'text/csv' } }),
  /** Every survey addressed to the supplier (open ones have state `potential`). */
  surveys: () => api<Page<Survey>>('/v1/portal/surveys', { query: { limit: 100, state: 'all' } }),
  answer: (id: string, answer: SurveyAnswer) => api<Survey>(`/v1/portal/surveys/${enc(id)}/answer`, { json: answer }),
};
