/** A resolved SenML record (RFC 8428 §4.6): absolute name, absolute time in seconds. */
export interface TelemetryRecord {
  n: string;
  t: number;
  u?: string;
  v?: number;
  vs?: string;
  vb?: boolean;
  vd?: string;
  s?: number;
}
