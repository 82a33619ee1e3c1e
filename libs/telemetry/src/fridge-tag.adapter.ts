/**
 * Berlinger Fridge-tag / Q-tag text reports: the detailed log ("Data:" rows
 * `yyyy-MM-dd hh:mm <TAB> T <TAB> [x]`) as a SenML pack, so a logger's
 * download can be posted to /v1/telemetry. The device clock has no time
 * zone; it is read as UTC.
 */
export interface FridgeTagReport {
  serial: string | null;
  unit: 'Cel' | 'degF';
  rows: Array<{ t: number; v: number; outOfLimits: boolean }>;
}

const ROW = /^\t(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})\t([-+]?\d+(?:\.\d+)?)\t?(x?)\s*$/;

export function parseFridgeTag(text: string): FridgeTagReport {
  const lines = text.split(/\r?\n/);
  const serial = lines.map((l) => /^\s*Serial:\s*(\S+)/.exec(l)?.[1]).find(Boolean) ?? null;
  const unit = lines.some((l) => /^\s*Temp unit:\s*F/.test(l)) ? 'degF' : 'Cel';
  const rows: FridgeTagReport['rows'] = [];
  for (const line of lines) {
    const m = ROW.exec(line);
    if (!m) continue;
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) / 1000;
    rows.push({ t, v: Number(m[6]), outOfLimits: m[7] === 'x' });
  }
  return { serial, unit, rows };
}

/** The report's rows as one SenML pack named `sensorId` (base time on the first row, relative times after). */
export function fridgeTagToSenml(report: FridgeTagReport, sensorId: string): Array<Record<string, unknown>> {
  if (report.rows.length === 0) return [];
  const bt = report.rows[0].t;
  return report.rows.map((r, i) => (i === 0 ? { bn: sensorId, bt, bu: report.unit, v: r.v } : { t: r.t - bt, v: r.v }));
}
