import { stableEventId } from './event-id';
import type { FeedContext } from './feed-adapter';
import { FeedItemError, toIsoInstant } from './feed-result';
import type { FeedResultBuilder } from './feed-result';
import { capCountry } from './cap-country';
import { capEventType } from './cap-event-type';
import { capGeometry } from './cap-geometry';
import { CapInvalidError } from './cap-model';
import type { CapAlert, CapInfo } from './cap-model';
import { clampSeverity, earthquakeRadiusKm, magnitudeBand } from './severity-policy';
import type { CapCertainty, CapSeverity, CapUrgency, SeverityLevel, SeverityPolicy } from './severity-policy';

const DAY_MS = 86_400_000;

/** `cap:<sender>:<identifier>`, the id of the event an alert (and every update of it) describes. */
export function capEventId(sender: string, identifier: string): string {
  return stableEventId('cap', sender, identifier);
}

/**
 * One CAP alert → at most one upsert, or closes:
 * - `Cancel` closes every referenced alert's event;
 * - `Update` upserts the event of the earliest referenced alert (the thread's
 *   original), or closes it when every chosen info says `AllClear`;
 * - `Alert` (and an `Update` without references) upserts `cap:<sender>:<identifier>`.
 * The expiry is the NWS `eventEndingTime` parameter when given (when the
 * hazard ends), else `<expires>` (when the message expires).
 * Statuses outside the policy (Test, Exercise…), `Ack`/`Error` messages and
 * alerts of skipped categories only produce a skipped record.
 */
export function convertCapAlert(alert: CapAlert, raw: unknown, context: FeedContext, out: FeedResultBuilder): void {
  const policy = context.policy.cap;
  const ref = alert.identifier;
  const version = Date.parse(alert.sent) || 0;
  if (!policy.statuses.includes(alert.status)) return out.skip(ref, `status ${alert.status} is not one the policy turns into events`);
  if (alert.msgType === 'Ack' || alert.msgType === 'Error') return out.skip(ref, `msgType ${alert.msgType} carries no hazard`);

  if (alert.msgType === 'Cancel') {
    if (!alert.references) throw new CapInvalidError('Cancel without <references>: nothing to cancel');
    for (const r of alert.references) {
      out.close(capEventId(r.sender, r.identifier), `CAP Cancel ${alert.sender},${alert.identifier} of ${r.sender},${r.identifier}`, raw, version);
    }
    return;
  }
  if (alert.infos.length === 0) throw new CapInvalidError('alert has no <info> block');
  const infos = chooseInfos(alert.infos);
  const id = alert.msgType === 'Update' && alert.references ? originalId(alert) : capEventId(alert.sender, alert.identifier);

  if (alert.msgType === 'Update' && infos.every((i) => i.responseTypes.includes('AllClear'))) {
    out.close(id, `CAP Update ${alert.sender},${alert.identifier} gives the all-clear`, raw, version);
    return;
  }
  const categories = [...new Set(infos.flatMap((i) => i.categories))];
  if (categories.length > 0 && categories.every((c) => policy.skipCategories.includes(c))) {
    return out.skip(ref, `category ${categories.join(', ')} is skipped by policy`);
  }

  const type = capEventType(infos);
  const magnitude = type === 'earthquake' ? statedMagnitude(infos) : null;
  const zeroRadiusKm = magnitude !== null ? earthquakeRadiusKm(magnitude, context.policy.earthquake.radius) : policy.pointRadiusKm;
  // Geocode-only alerts fall back to the issuing country when it is known (DESIGN §3.1: matched by country code).
  const country = capCountry(alert, infos);
  const geometry =
    capGeometry(
      infos.flatMap((i) => i.areas),
      zeroRadiusKm,
    ) ?? (country ? { type: 'Country' as const, countries: [country] } : null);
  if (!geometry) throw new FeedItemError(`no usable geometry and no country: ${areaSummary(infos)}`);

  const starts = infos
    .map((i) => toIsoInstant(i.onset) ?? toIsoInstant(i.effective) ?? toIsoInstant(alert.sent))
    .filter((s): s is string => !!s)
    .sort();
  const startsAt = starts[0] ?? context.receivedAt.toISOString();
  const expiries = infos.map((i) => toIsoInstant(parameter(i, 'eventEndingTime')) ?? toIsoInstant(i.expires));
  const expiresAt = expiries.every((e): e is string => !!e) ? expiries.sort()[expiries.length - 1] : undefined;
  const levels = infos.map((info) => infoLevel(info, magnitude, context.policy));
  const windowDays = expiresAt ? Math.ceil((Date.parse(expiresAt) - Date.parse(startsAt)) / DAY_MS) : 0;
  const expectedDurationDays = Math.min(policy.maxDurationDays, Math.max(windowDays, ...levels.map((l) => l.durationDays)));
  const info = infos[0];
  out.upsert(
    {
      id,
      source: context.sourceId,
      type,
      title: info.headline || [info.event, info.areas[0]?.description].filter(Boolean).join(' – ') || alert.identifier,
      severity: clampSeverity(Math.max(...levels.map((l) => l.severity))),
      expectedDurationDays,
      geometry,
      country,
      startsAt,
      ...(expiresAt ? { expiresAt } : {}),
      ...(info.web ? { sourceUrl: info.web } : {}),
    },
    raw,
    version,
  );
}

/** The English infos (a missing language means en-US), else those in the first info's language. */
export function chooseInfos(infos: CapInfo[]): CapInfo[] {
  const english = infos.filter((i) => i.language.toLowerCase().startsWith('en'));
  if (english.length > 0) return english;
  const first = infos[0].language.toLowerCase();
  return infos.filter((i) => i.language.toLowerCase() === first);
}

function originalId(alert: CapAlert): string {
  const refs = alert.references ?? [];
  let earliest = refs[0];
  for (const r of refs) if ((Date.parse(r.sent) || Infinity) < (Date.parse(earliest.sent) || Infinity)) earliest = r;
  return capEventId(earliest.sender, earliest.identifier);
}

/** base(severity) × certainty × urgency; an earthquake of `Unknown` severity that states a magnitude uses the magnitude band. */
function infoLevel(info: CapInfo, magnitude: number | null, policy: SeverityPolicy): SeverityLevel {
  const cap = policy.cap;
  const severity = pick(info.severity, Object.keys(cap.severity)) as CapSeverity;
  const base = severity === 'Unknown' && magnitude !== null ? magnitudeBand(magnitude, policy.earthquake.magnitudeBands) : cap.severity[severity];
  const certaintyName = /^very ?likely$/i.test(info.certainty) ? 'Likely' : info.certainty;
  const certainty = cap.certaintyFactor[pick(certaintyName, Object.keys(cap.certaintyFactor)) as CapCertainty];
  const urgency = cap.urgencyFactor[pick(info.urgency, Object.keys(cap.urgencyFactor)) as CapUrgency];
  return { severity: base.severity * certainty * urgency, durationDays: base.durationDays };
}

/** The allowed value matching case-insensitively, else `Unknown`. */
const pick = (value: string, allowed: string[]): string => allowed.find((a) => a.toLowerCase() === value.trim().toLowerCase()) ?? 'Unknown';

/** The first `<parameter>` of that name (case-insensitive), or undefined. */
function parameter(info: CapInfo, name: string): string | undefined {
  return info.parameters.find((p) => p.valueName.toLowerCase() === name.toLowerCase())?.value || undefined;
}

/** A `Magnitude` parameter such as `6.3` or `3.4 Ml`. */
function statedMagnitude(infos: CapInfo[]): number | null {
  for (const info of infos) {
    for (const p of info.parameters) {
      if (/^magnitude$/i.test(p.valueName)) {
        const m = Number.parseFloat(p.value);
        if (Number.isFinite(m) && m > -2 && m < 10.5) return m;
      }
    }
  }
  return null;
}

function areaSummary(infos: CapInfo[]): string {
  const areas = infos.flatMap((i) => i.areas);
  if (areas.length === 0) return 'the alert has no <area>';
  const names = areas
    .map((a) => a.description)
    .filter(Boolean)
    .slice(0, 3)
    .join('; ');
  const codes = areas
    .flatMap((a) => a.geocodes.map((g) => `${g.valueName}=${g.value}`))
    .slice(0, 4)
    .join(', ');
  return `areas given only by name or geocode (${names || 'no description'}${codes ? `; ${codes}` : ''})`;
}
