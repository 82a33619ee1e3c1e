import type { EventType } from '@tiersight/contracts';
import type { CapInfo } from './cap-model';

/**
 * Keyword rules over the English (or first) info's `<event>`, `<headline>`,
 * headline parameters (NWS `NWSheadline`) and `<eventCode>` values, first
 * match wins; then the CAP `<category>`
 * (Fire → fire, Met → storm); otherwise `other`. Tsunami warnings count as
 * floods (coastal inundation is what hits sites), landslides and air quality
 * as `other`.
 */
const RULES: Array<[RegExp, EventType]> = [
  [/tsunami|storm surge|flood|inundation|high water|\bff[wa]\b|\bflw\b/, 'flood'],
  [/earthquake|seism|\bquake|\beqw\b/, 'earthquake'],
  [/volcan|lahar|\bash ?fall/, 'volcano'],
  [/wildfire|bush ?fire|forest ?fire|grass ?fire|structure fire|red flag|\bfire\b/, 'fire'],
  [/drought/, 'drought'],
  [/\bstrike|industrial action|walkout/, 'strike'],
  [/\bport clos|harbou?r clos|\bport (?:is )?closed/, 'port-closure'],
  [
    /landslide|falling rock|rockfall|avalanche|air quality|\bsmoke|\bheat\b|pollution|child abduction|amber alert|hazardous material|chemical|nuclear|radiolog/,
    'other',
  ],
  [
    /hurricane|typhoon|cyclone|tropical storm|tornado|thunder|\bstorm|\bwind|\bgale|squall|\bhail\b|\bsnow|blizzard|\bice\b|\bicing|\bfreez|\bwinter|\brain|monsoon|small craft|\bsvr\b|\bhwa\b|\bwsw\b/,
    'storm',
  ],
];

export function capEventType(infos: CapInfo[]): EventType {
  const info = infos[0];
  if (!info) return 'other';
  const headlines = info.parameters.filter((p) => /headline/i.test(p.valueName)).map((p) => p.value);
  const text = [info.event, info.headline ?? '', ...headlines, ...info.eventCodes.map((c) => c.value)].join(' ').toLowerCase();
  for (const [pattern, type] of RULES) if (pattern.test(text)) return type;
  const categories = infos.flatMap((i) => i.categories.map((c) => c.toLowerCase()));
  if (categories.includes('fire')) return 'fire';
  if (categories.includes('met')) return 'storm';
  return 'other';
}
