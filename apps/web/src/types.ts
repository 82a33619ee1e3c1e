import type { Geometry } from 'geojson';

/** The API's shapes the pages read (DESIGN §7.1 and the OpenAPI document at /docs). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PathHop {
  nodeId: string;
  x: number;
  days: number;
  onsetDays: number;
  via?: { partId: string; share: number; bufferDays: number; leadTimeDays: number };
}

export interface Confidence {
  hops: number;
  inferredHops: number;
  inferredShare: number;
  unconfirmedHops: number;
  oldestConfirmedAt: string | null;
}

export interface Exposure {
  skuId: string;
  name?: string;
  category?: string | null;
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
  eventIds: string[];
  criticalPath: PathHop[];
  confidence?: Confidence | null;
}

export interface Attribution {
  eventId: string;
  title: string | null;
  x: number;
  days: number;
  onsetDays: number;
  revenueAtRisk: number;
}

export interface ExposureDetail extends Exposure {
  attribution: Attribution[];
}

export interface EventHit {
  siteId: string;
  x: number;
  days: number;
}

export interface DisruptionEvent {
  id: string;
  source: string;
  type: string;
  title: string;
  severity: number;
  expectedDurationDays: number;
  geometry: Geometry;
  radiusKm: number | null;
  country: string | null;
  startsAt: string;
  status: 'active' | 'closed';
  hits: EventHit[];
}

export interface Site {
  id: string;
  supplierId: string;
  /** null when the site belongs to a masked supplier (the API blanks it and sets `masked`). */
  name: string | null;
  masked?: boolean;
  kind: string;
  lat: number;
  lon: number;
  country: string;
  ttrDays?: number;
  source?: string;
  confirmedAt?: string | null;
  tier?: number | null;
}

export interface Sku {
  id: string;
  name: string;
  dailyRevenue: number;
  category: string | null;
}

export interface UpstreamEdge {
  fromSiteId: string;
  supplierId: string;
  country: string;
  toId: string;
  partId: string;
  share: number;
  bufferDays: number;
  leadTimeDays: number;
  source: string;
  confirmedAt: string | null;
}

export interface UpstreamTree {
  skuId: string;
  depth: number;
  tiers: { tier: number; edges: UpstreamEdge[] }[];
}

export interface RxiSite {
  siteId: string;
  supplierId: string;
  country: string;
  tier: number | null;
  rxi: number;
  revenueAtRisk: number;
}

export interface Spof {
  siteId: string;
  supplierId: string;
  tier: number | null;
  hidden: boolean;
  revenueAtRisk: number;
  skuIds: string[];
}

export interface ScenarioAnswer {
  graphVersion?: number;
  impactedSites?: number;
  exposures: Exposure[];
}
