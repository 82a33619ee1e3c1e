import { FeedItemError } from './feed-result';

/**
 * A CAP alert as this library needs it, read from CAP XML (1.0–1.2), CAP-JSON
 * (the same element names as JSON, e.g. the German MoWaS/BBK API) or the US
 * NWS api.weather.gov GeoJSON. Positions are GeoJSON order: [lon, lat].
 */
export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: string;
  scope: string;
  /** null when the alert has no `<references>` element at all. */
  references: CapReference[] | null;
  infos: CapInfo[];
}

export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

export interface CapInfo {
  /** `en-US` when the info states none, as CAP specifies. */
  language: string;
  categories: string[];
  event: string;
  responseTypes: string[];
  urgency: string;
  severity: string;
  certainty: string;
  eventCodes: CapValue[];
  effective?: string;
  onset?: string;
  expires?: string;
  headline?: string;
  web?: string;
  parameters: CapValue[];
  areas: CapArea[];
}

export interface CapValue {
  valueName: string;
  value: string;
}

export interface CapArea {
  description: string;
  /** Closed rings, one polygon each (CAP polygons have no holes). */
  polygons: Array<Array<[number, number]>>;
  circles: CapCircle[];
  geocodes: CapValue[];
}

export interface CapCircle {
  center: [number, number];
  radiusKm: number;
}

/** Thrown while reading or converting an alert; the reason goes into that alert's dead letter. */
export class CapInvalidError extends FeedItemError {}
