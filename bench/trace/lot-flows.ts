/**
 * Seeded lot flows over a generated supply network, as EPCIS 2.0 JSON-LD
 * capture documents: what suppliers' systems would send for a production
 * network where raw lots are commissioned at the deepest tier and go through
 * `levels` transformations on their way to the SKUs.
 *
 * The flows come in waves (production cycles). A wave has `lanes` lots per
 * level; the lot of lane i at level k is made by a transformation that takes
 * the lot of lane i at level k - 1, often a neighbouring lane's too (a
 * blend, a second component), so a trace fans out over a few dozen lots per
 * level as real recalls do. Levels map onto tiers (deepest tier first); lanes
 * are grouped onto sites, and a group's site one tier down is a customer of
 * its site (a SUPPLIES edge of the network). A lot used at another site is
 * packed on a pallet (AggregationEvent ADD, SSCC), shipped, received and
 * unpacked (DELETE) there; shipments and some inspections carry
 * sensorElementList readings (temperature, humidity). The last level's lots
 * are units of the SKUs their tier-1 site supplies.
 */
import { gs1CheckDigit } from '@tiersight/epcis-formats';

export interface FlowNetwork {
  /** 13-digit GLN per site index. */
  siteGln: readonly string[];
  /** Built-for tier per site index (1 ships the SKUs). */
  siteTier: ArrayLike<number>;
  /** Customer site indexes per site index (SUPPLIES edges between sites). */
  customers: ReadonlyArray<readonly number[]>;
  /** GTIN-14 of the SKUs each site supplies straight (tier 1). */
  skuGtins: ReadonlyArray<readonly string[]>;
  tiers: number;
}

export interface FlowOptions {
  seed: number;
  /** Transformation levels; lots exist at levels 0 (commissioned) to `levels`. */
  levels: number;
  /** Lots per level per wave. */
  lanes: number;
  /** Lanes that share a site. */
  lanesPerSite: number;
  /** Tag in every lot number, so flows generated with another tag never meet these. */
  tag: string;
  /** First pallet serial (SSCC), so pallets of flows with another tag are other pallets. */
  palletBase: number;
}

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

type Json = Record<string, unknown>;

/** A wave's events and the lots it made, by level. */
export interface Wave {
  events: Json[];
  lotsByLevel: string[][];
}

/** mulberry32, seeded per wave so a wave is the same whatever came before it. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const withCheck = (digits: string) => digits + String(gs1CheckDigit(digits));
const DAY_MS = 86_400_000;
const FLOW_START_MS = Date.UTC(2024, 0, 8, 6);
/** A wave starts this long after the one before (waves overlap: a cycle takes longer). */
const WAVE_STEP_MS = DAY_MS / 2;
const LEVEL_MS = 3 * DAY_MS;

/** GTIN-14 of the material of a level (a product family per lane group): company prefix 4012345, item = level and family. */
export function materialGtin(level: number, family: number): string {
  return withCheck(`04012345${String(level).padStart(2, '0')}${String(family % 1000).padStart(3, '0')}`);
}

export const lotDigitalLink = (gtin: string, lot: string) => `https://id.gs1.org/01/${gtin}/10/${lot}`;
const sscc = (serial: number) => `https://id.gs1.org/00/${withCheck(`34012345${String(serial % 1e9).padStart(9, '0')}`)}`;
const place = (gln: string) => `https://id.gs1.org/414/${gln}`;
/** A read point inside a site: the site's GLN with an extension (a dock, a line). */
const dock = (gln: string, n: number) => `https://id.gs1.org/414/${gln}/254/${n}`;

function time(ms: number): { eventTime: string; eventTimeZoneOffset: string } {
  return { eventTime: new Date(ms).toISOString().replace('.000Z', '+00:00'), eventTimeZoneOffset: '+00:00' };
}

function sensor(ms: number, rnd: () => number, excursion: boolean): Json {
  const temperature = excursion ? 9 + rnd() * 4 : 2 + rnd() * 4;
  return {
    sensorMetadata: { time: new Date(ms).toISOString(), deviceID: `urn:epc:id:giai:4012345.${1000 + Math.floor(rnd() * 9000)}` },
    sensorReport: [
      { type: 'Temperature', value: Math.round(temperature * 10) / 10, uom: 'CEL' },
      { type: 'RelativeHumidity', value: Math.round(55 + rnd() * 30), uom: 'A93' },
    ],
  };
}

/**
 * The flows, wave after wave. `siteOfGroup` decides sites per (wave, lane
 * group, tier): a random site of the deepest tier, then a customer of it one
 * tier down (any site of that tier when it has none there).
 */
export class LotFlows {
  private readonly byTier: number[][] = [];
  private palletSerial = 0;

  constructor(
    private readonly network: FlowNetwork,
    readonly options: FlowOptions,
  ) {
    for (let t = 0; t <= network.tiers; t++) this.byTier.push([]);
    for (let i = 0; i < network.siteGln.length; i++) this.byTier[network.siteTier[i]].push(i);
    for (let t = 1; t <= network.tiers; t++) if (this.byTier[t].length === 0) throw new Error(`the network has no site of tier ${t}`);
  }

  /** The tier a level happens at: level 0 at the deepest tier, the last level at tier 1. */
  tierOf(level: number): number {
    const { tiers } = this.network;
    return Math.max(1, tiers - Math.floor((level * tiers) / (this.options.levels + 1)));
  }

  wave(w: number): Wave {
    const { levels, lanes, lanesPerSite, tag } = this.options;
    const rnd = prng((this.options.seed ^ Math.imul(w + 1, 0x9e3779b9)) >>> 0);
    const groups = Math.ceil(lanes / lanesPerSite);
    // Site of each lane group at each tier, deepest tier first.
    const siteAt: number[][] = Array.from({ length: this.network.tiers + 1 }, () => new Array<number>(groups));
    for (let g = 0; g < groups; g++) {
      let site = this.byTier[this.network.tiers][Math.floor(rnd() * this.byTier[this.network.tiers].length)];
      siteAt[this.network.tiers][g] = site;
      for (let t = this.network.tiers - 1; t >= 1; t--) {
        const down = this.network.customers[site].filter((c) => this.network.siteTier[c] === t);
        site = down.length > 0 ? down[Math.floor(rnd() * down.length)] : this.byTier[t][Math.floor(rnd() * this.byTier[t].length)];
        siteAt[t][g] = site;
      }
    }
    const siteOf = (level: number, lane: number) => siteAt[this.tierOf(level)][Math.floor(lane / lanesPerSite)];
    const family = (lane: number) => (w * groups + Math.floor(lane / lanesPerSite)) % 997;
    const events: Json[] = [];
    const lotsByLevel: string[][] = [];
    const start = FLOW_START_MS + w * WAVE_STEP_MS;
    const gtinOf = (level: number, lane: number) => {
      if (level === levels) {
        const skus = this.network.skuGtins[siteOf(level, lane)];
        if (skus.length > 0) return skus[lane % skus.length];
      }
      return materialGtin(level, family(lane));
    };
    const lotIds: string[][] = [];
    for (let level = 0; level <= levels; level++) {
      lotIds.push(Array.from({ length: lanes }, (_, lane) => lotDigitalLink(gtinOf(level, lane), `${tag}W${w}K${level}N${lane}`)));
    }

    for (let level = 0; level <= levels; level++) {
      const levelStart = start + level * LEVEL_MS;
      // Pallets from (site, to site) for this level's inputs, each shipped once.
      const pallets = new Map<string, { from: number; to: number; lots: string[] }>();
      const made: Json[] = [];
      for (let lane = 0; lane < lanes; lane++) {
        const site = siteOf(level, lane);
        const gln = this.network.siteGln[site];
        const at = levelStart + Math.floor(rnd() * DAY_MS);
        const output = lotIds[level][lane];
        const quantity = 100 + Math.floor(rnd() * 900);
        if (level === 0) {
          made.push({
            type: 'ObjectEvent',
            ...time(at),
            action: 'ADD',
            bizStep: 'commissioning',
            disposition: 'active',
            quantityList: [{ epcClass: output, quantity, uom: 'KGM' }],
            readPoint: { id: dock(gln, 1 + (lane % 4)) },
            bizLocation: { id: place(gln) },
          });
        } else {
          // The lane's own input, often a neighbour's too (a blend), now and then a third.
          const inputs = [lane];
          if (rnd() < 0.45) inputs.push((lane + 1) % lanes);
          if (rnd() < 0.15) inputs.push((lane + lanes - 2) % lanes);
          for (const i of inputs) {
            const from = siteOf(level - 1, i);
            if (from === site) continue;
            const key = `${from}>${site}`;
            const pallet = pallets.get(key) ?? { from, to: site, lots: [] };
            if (!pallet.lots.includes(lotIds[level - 1][i])) pallet.lots.push(lotIds[level - 1][i]);
            pallets.set(key, pallet);
          }
          made.push({
            type: 'TransformationEvent',
            ...time(at + DAY_MS / 2),
            inputQuantityList: inputs.map((i) => ({ epcClass: lotIds[level - 1][i], quantity: Math.round(quantity / inputs.length), uom: 'KGM' })),
            outputQuantityList: [{ epcClass: output, quantity, uom: 'KGM' }],
            bizStep: 'commissioning',
            disposition: 'active',
            readPoint: { id: dock(gln, 1 + (lane % 4)) },
            bizLocation: { id: place(gln) },
          });
        }
        if (rnd() < 0.2) {
          const inspected = at + DAY_MS / 2 + 3_600_000;
          made.push({
            type: 'ObjectEvent',
            ...time(inspected),
            action: 'OBSERVE',
            bizStep: 'inspecting',
            disposition: 'active',
            quantityList: [{ epcClass: output, quantity, uom: 'KGM' }],
            readPoint: { id: dock(gln, 9) },
            sensorElementList: [sensor(inspected, rnd, rnd() < 0.02)],
          });
        }
      }
      for (const pallet of pallets.values()) events.push(...this.shipment(pallet, levelStart - DAY_MS, rnd));
      events.push(...made);
      lotsByLevel.push(lotIds[level]);
    }
    events.sort((a, b) => (a.eventTime as string).localeCompare(b.eventTime as string));
    return { events, lotsByLevel };
  }

  /** Pack, ship, receive, unpack: one pallet of lots from one site to another the day before they are used. */
  private shipment(pallet: { from: number; to: number; lots: string[] }, dayMs: number, rnd: () => number): Json[] {
    const from = this.network.siteGln[pallet.from];
    const to = this.network.siteGln[pallet.to];
    const parent = sscc(this.options.palletBase + ++this.palletSerial);
    const children = pallet.lots.map((epcClass) => ({ epcClass, quantity: 1 + Math.floor(rnd() * 40), uom: 'KGM' }));
    const route = {
      sourceList: [
        { type: 'owning_party', source: place(from) },
        { type: 'location', source: place(from) },
      ],
      destinationList: [
        { type: 'owning_party', destination: place(to) },
        { type: 'location', destination: place(to) },
      ],
    };
    const shippedAt = dayMs + 2 * 3_600_000;
    const receivedAt = dayMs + 10 * 3_600_000;
    const cold = rnd() < 0.4;
    return [
      {
        type: 'AggregationEvent',
        ...time(dayMs + 3_600_000),
        parentID: parent,
        childQuantityList: children,
        action: 'ADD',
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: { id: dock(from, 5) },
      },
      {
        type: 'ObjectEvent',
        ...time(shippedAt),
        epcList: [parent],
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        readPoint: { id: dock(from, 6) },
        bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:epcglobal:cbv:bt:${from}:${parent.slice(-8)}` }],
        ...route,
        ...(cold ? { sensorElementList: [sensor(shippedAt + 3_600_000, rnd, rnd() < 0.03)] } : {}),
      },
      {
        type: 'ObjectEvent',
        ...time(receivedAt),
        epcList: [parent],
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        readPoint: { id: dock(to, 7) },
        bizLocation: { id: place(to) },
        ...route,
        ...(cold ? { sensorElementList: [sensor(receivedAt, rnd, false)] } : {}),
      },
      {
        type: 'AggregationEvent',
        ...time(receivedAt + 3_600_000),
        parentID: parent,
        childQuantityList: children,
        action: 'DELETE',
        bizStep: 'unpacking',
        disposition: 'in_progress',
        readPoint: { id: dock(to, 7) },
      },
    ];
  }
}

/** An EPCISDocument around the events, as a supplier's system would send it. */
export function epcisDocument(events: Json[], createdMs: number): Json {
  return {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date(createdMs).toISOString(),
    epcisBody: { eventList: events },
  };
}
