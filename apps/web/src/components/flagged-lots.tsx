import { client, type Schemas, unwrap } from '../api';
import { href } from '../router';
import { useAsync } from '../use-async';
import { lotName } from './trace-tree';
import { DataTable, LoadState } from './ui';

type SkuFlaggedLots = Schemas['SkuFlaggedLots'];
type SkuFlaggedLot = Schemas['SkuFlaggedLot'];
type LotFlag = Schemas['LotFlagView'];

/** Flagged lots the API lists for one SKU at most (MAX_SKU_FLAGGED_LOTS). */
const MAX_LISTED = 1000;

/** The lot trace page's forward trace of a lot: what a recall of it must reach. */
const recallHref = (lotId: string) => `${href('trace', lotId)}?direction=forward`;

/** An instant as the API gives it (UTC), to the minute: 2025-03-12 09:30 UTC. */
const fmtInstant = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The lot number of a GS1 Digital Link lot id (`…/10/<lot>`), else the id itself. */
function lotNumber(lotId: string): string {
  const m = /\/(?:10|21)\/([^/?#]+)/.exec(lotId);
  return m ? decodeURIComponent(m[1]) : lotId;
}

/** What flagged the lot, in words: the kind of cause first, so it reads without the table's colours or icons. */
function Cause({ flag }: { flag: LotFlag }) {
  const c = flag.cause;
  if (c.kind === 'event') {
    return (
      <>
        <span class="flag-kind">Disruption{c.eventType ? ` (${c.eventType})` : ''}:</span>{' '}
        <a href={`#/dashboard?event=${encodeURIComponent(c.id)}`}>{c.title ?? c.id}</a>
        {c.title && <div class="sub">{c.id}</div>}
      </>
    );
  }
  if (c.kind === 'sensor') {
    return (
      <>
        <span class="flag-kind">Sensor excursion:</span> sensor {c.sensorId ?? 'unknown'} broke rule {c.ruleId ?? 'unknown'} at the site
        <div class="sub">{c.id}</div>
      </>
    );
  }
  return (
    <>
      <span class="flag-kind">Its own sensor readings:</span> {c.metric ?? 'a reading'} broke rule {c.ruleId ?? 'unknown'}
      {c.sensorId && <div class="sub">device {c.sensorId}</div>}
    </>
  );
}

function FlagWindow({ flag }: { flag: LotFlag }) {
  return (
    <>
      from {fmtInstant(flag.window.from)} {flag.window.to ? `until ${fmtInstant(flag.window.to)}` : '(still open)'}
      <div class="sub">lot seen there {fmtInstant(flag.observedAt)}</div>
    </>
  );
}

function depthText(item: SkuFlaggedLot): string {
  if (item.depth === 0) return 'itself a lot of this SKU';
  return `${item.depth} ${item.depth === 1 ? 'transformation' : 'transformations'}, into lot ${lotNumber(item.reaches)}`;
}

/** One flagged lot: a row per flag (one per cause), the lot, its depth and its trace link spanning them. */
function FlaggedLotRows({ item }: { item: SkuFlaggedLot }) {
  const name = lotName(item.lot);
  const span = item.flags.length > 1 ? item.flags.length : undefined;
  return (
    <>
      {item.flags.map((flag, i) => (
        <tr key={flag.cause.id} data-lot-id={i === 0 ? item.lot.lotId : undefined}>
          {i === 0 && (
            <th scope="row" rowSpan={span}>
              {name}
              <div class="sub lot-id">{item.lot.lotId}</div>
            </th>
          )}
          <td class="flag-cause">
            <Cause flag={flag} />
          </td>
          <td class="flag-site">{flag.siteId ?? <span class="sub">no site (a location no site claims)</span>}</td>
          <td class="flag-window">
            <FlagWindow flag={flag} />
          </td>
          {i === 0 && (
            <>
              <td rowSpan={span} class="flag-depth">
                {depthText(item)}
              </td>
              <td rowSpan={span}>
                <a href={recallHref(item.lot.lotId)}>
                  Forward trace<span class="visually-hidden"> of {name}</span>
                </a>
              </td>
            </>
          )}
        </tr>
      ))}
    </>
  );
}

/** One entry per lot: a lot that reaches several lots of the SKU is listed once, at its nearest (smallest depth). */
function byLot(items: readonly SkuFlaggedLot[]): SkuFlaggedLot[] {
  const kept = new Map<string, SkuFlaggedLot>();
  for (const item of items) {
    const seen = kept.get(item.lot.lotId);
    if (!seen || item.depth < seen.depth) kept.set(item.lot.lotId, item);
  }
  return [...kept.values()];
}

function FlaggedLotsBody({ data }: { data: SkuFlaggedLots }) {
  if (data.gtin === null) {
    return (
      <p class="flagged-empty">This SKU has no GTIN, so no captured lot can be traced to it. Give it one in the import to see the flagged lots it contains.</p>
    );
  }
  if (data.items.length === 0) {
    return <p class="flagged-empty">No flagged lot feeds this SKU: no lot flagged so far went into a lot of its GTIN {data.gtin}.</p>;
  }
  const items = byLot(data.items);
  const n = items.length;
  return (
    <>
      <p>
        {data.truncated ? `More than ${MAX_LISTED.toLocaleString('en')} flagged lots feed` : `${n} flagged ${n === 1 ? 'lot feeds' : 'lots feed'}`} this SKU
        (GTIN {data.gtin}), the most recently flagged first{data.truncated ? `; the first ${MAX_LISTED.toLocaleString('en')} are listed` : ''}. Depth counts the
        transformations from the flagged lot to a lot of this SKU; its forward trace is what a recall of it must reach.
      </p>
      <DataTable label="Flagged lots feeding this SKU" class="flagged-lots" columns={['Lot', 'Cause', 'Site', 'Window', 'Depth', 'Recall scope']}>
        {items.map((item) => (
          <FlaggedLotRows key={item.lot.lotId} item={item} />
        ))}
      </DataTable>
    </>
  );
}

/**
 * The risk link on the SKU page (DESIGN §11): lots flagged by a disruption, a
 * sensor excursion at a site or their own sensor readings, whose forward trace
 * reaches a lot of this SKU, each with its cause and a link to its trace.
 */
export function FlaggedLots({ skuId }: { skuId: string }) {
  const state = useAsync(() => unwrap(client.GET('/v1/exposures/{id}/flagged-lots', { params: { path: { id: skuId } } })), [skuId]);
  return (
    <section aria-labelledby="flagged-h" class="flagged">
      <h2 id="flagged-h">Flagged lots</h2>
      <LoadState state={state} what="the flagged lots" />
      {state.data && <FlaggedLotsBody data={state.data} />}
    </section>
  );
}
