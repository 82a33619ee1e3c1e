import type { CapAlert, CapInfo } from './cap-model';
import { asIso2, numericToIso2 } from './iso-countries';

/** ccTLDs widely used as generic domains: they say nothing about the issuer's country. */
const GENERIC_TLDS = new Set(['ai', 'cc', 'co', 'fm', 'io', 'ly', 'me', 'tv', 'to', 'ws']);

/**
 * The issuing country, from (in order) an ISO 3166 geocode (`AU-NSW`), the
 * UN M49 code in a WMO register identifier (`2.49.0.1.840.…` → US), or the
 * country-code top-level domain of the sender (`ims.gov.il` → IL). Null when
 * none applies (e.g. `gdacs.org`).
 */
export function capCountry(alert: CapAlert, infos: CapInfo[]): string | null {
  for (const info of infos) {
    for (const area of info.areas) {
      for (const geocode of area.geocodes) {
        if (/iso.?3166|country_codes|^iso$|country.?code/i.test(geocode.valueName)) {
          const iso2 = asIso2(geocode.value.slice(0, 2));
          if (iso2) return iso2;
        }
      }
    }
  }
  const oid = /(?:^|[^0-9.])2\.49\.0\.[0-9]\.(\d{1,3})(?=[.\-_]|$)/.exec(alert.identifier);
  const fromOid = oid ? numericToIso2(oid[1]) : null;
  if (fromOid) return fromOid;
  return countryOfDomain(alert.sender);
}

function countryOfDomain(sender: string): string | null {
  const host = sender.includes('@') ? sender.slice(sender.lastIndexOf('@') + 1) : (/^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(sender)?.[1] ?? sender);
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host)) return null;
  const tld = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
  if (tld.length !== 2 || GENERIC_TLDS.has(tld)) return null;
  return tld === 'uk' ? 'GB' : asIso2(tld);
}
