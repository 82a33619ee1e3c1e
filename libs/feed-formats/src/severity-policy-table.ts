import { earthquakeRadiusKm } from './severity-policy';
import type { SeverityPolicy } from './severity-policy';

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000));
const pair = (level: { severity: number; durationDays: number }) => `${fmt(level.severity)} / ${level.durationDays} d`;

/** The policy as Markdown tables (severity / default duration), as libs/feed-formats/README.md shows the defaults. */
export function severityPolicyMarkdown(policy: SeverityPolicy): string {
  const { earthquake, usgs, gdacs, cap } = policy;
  const bands = earthquake.magnitudeBands;
  const lines: string[] = [];
  lines.push('**Earthquakes by magnitude** (USGS without a PAGER alert; CAP earthquakes of `Unknown` severity that state a magnitude)', '');
  lines.push('| magnitude | severity / duration | radius at the band floor |', '|---|---|---|');
  bands.forEach((band, i) => {
    const next = bands[i + 1];
    const from = Number.isFinite(band.minMagnitude) ? `≥ ${fmt(band.minMagnitude)}` : '';
    const below = next ? `< ${fmt(next.minMagnitude)}` : '';
    const range = [from, below].filter(Boolean).join(' and ') || 'any';
    const km = Number.isFinite(band.minMagnitude) ? earthquakeRadiusKm(band.minMagnitude, earthquake.radius) : earthquake.radius.minKm;
    const radius = `${Math.round(km * 10) / 10} km`;
    lines.push(`| ${range} | ${pair(band)} | ${radius} |`);
  });
  const r = earthquake.radius;
  lines.push(
    '',
    `Radius: \`10^(${fmt(r.coefficient)}·M ${r.offset < 0 ? '−' : '+'} ${fmt(Math.abs(r.offset))})\` km, clamped to [${fmt(r.minKm)}, ${fmt(r.maxKm)}] km.`,
    '',
  );

  lines.push('**USGS PAGER alert** (preferred over magnitude when present)', '');
  lines.push('| green | yellow | orange | red |', '|---|---|---|---|');
  lines.push(`| ${pair(usgs.pagerAlert.green)} | ${pair(usgs.pagerAlert.yellow)} | ${pair(usgs.pagerAlert.orange)} | ${pair(usgs.pagerAlert.red)} |`, '');
  lines.push(
    `Quakes below M${fmt(usgs.minMagnitude)} without an alert are skipped; \`tsunami: 1\` adds ${fmt(usgs.tsunamiSeverityBoost)} from M${fmt(usgs.tsunamiMinMagnitude)}.`,
    '',
  );

  lines.push('**GDACS alert level** (RSS and API)', '');
  lines.push('| hazard | Green | Orange | Red | radius around the point |', '|---|---|---|---|---|');
  for (const hazard of Object.keys(gdacs.alertLevels) as Array<keyof typeof gdacs.alertLevels>) {
    const l = gdacs.alertLevels[hazard];
    const radius =
      hazard === 'EQ'
        ? 'earthquake formula (magnitude)'
        : `${fmt(gdacs.radiusKm[hazard])} km${['DR', 'WF'].includes(hazard) ? ', or the radius of the affected area if larger' : ''}`;
    lines.push(`| ${hazard} | ${pair(l.Green)} | ${pair(l.Orange)} | ${pair(l.Red)} | ${radius} |`);
  }
  lines.push('', `RSS geometry: \`${gdacs.rssGeometry}\`.`, '');

  lines.push('**CAP** severity = base × certainty × urgency; duration = max(base duration, onset…expiry window), at most ' + `${cap.maxDurationDays} d`, '');
  lines.push('| `<severity>` | Extreme | Severe | Moderate | Minor | Unknown |', '|---|---|---|---|---|---|');
  lines.push(`| base | ${(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const).map((k) => pair(cap.severity[k])).join(' | ')} |`, '');
  lines.push('| `<certainty>` | Observed | Likely | Possible | Unlikely | Unknown |', '|---|---|---|---|---|---|');
  lines.push(`| factor | ${(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const).map((k) => fmt(cap.certaintyFactor[k])).join(' | ')} |`, '');
  lines.push('| `<urgency>` | Immediate | Expected | Future | Past | Unknown |', '|---|---|---|---|---|---|');
  lines.push(`| factor | ${(['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const).map((k) => fmt(cap.urgencyFactor[k])).join(' | ')} |`, '');
  lines.push(
    `Statuses turned into events: ${cap.statuses.join(', ')}; categories skipped: ${cap.skipCategories.join(', ') || 'none'}; a \`<circle>\` of radius 0 gets ${fmt(cap.pointRadiusKm)} km (or the earthquake radius when a magnitude is stated).`,
  );
  return lines.join('\n');
}
