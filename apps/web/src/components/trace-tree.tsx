import { useState } from 'preact/hooks';
import type { Schemas } from '../api';
import { href, navigate } from '../router';

export type Trace = Schemas['TraceResult'];
type TraceEvent = Schemas['TraceEvent'];
type LotFacts = Pick<Schemas['TracedLot'], 'lotId' | 'kind' | 'gtin' | 'lot' | 'serial'>;

/** One lot of the trace: the traced lot (depth 0, its origin as the event) or a lot reached from it. */
export interface TraceNode {
  key: string;
  lot: LotFacts;
  root: boolean;
  depth: number;
  via: string | null;
  event: TraceEvent | null;
}

/** A branch of the tree: the lots seen at sites of one tier (or of no known tier), or the SKUs a forward trace reached. */
export interface TierGroup {
  key: string;
  label: string;
  lots: TraceNode[];
  skus: Schemas['TracedSku'][];
}

/** A lot as people name it: GTIN and lot (or serial) for trade items, the identifier itself otherwise. */
export function lotName(l: LotFacts): string {
  if (l.gtin && l.lot) return `GTIN ${l.gtin} · lot ${l.lot}`;
  if (l.gtin && l.serial) return `GTIN ${l.gtin} · serial ${l.serial}`;
  if (l.gtin && l.kind === 'gtin') return `GTIN ${l.gtin} (any lot)`;
  return l.lotId;
}

const CBV_BIZSTEP = 'https://ref.gs1.org/cbv/BizStep-';
/** A CBV business step by its bare word (`shipping`), a private one as its URI. */
export const bizStepName = (uri: string | null) => (uri === null ? 'no business step' : uri.startsWith(CBV_BIZSTEP) ? uri.slice(CBV_BIZSTEP.length) : uri);

/** `ni:///sha-256;3f2a…?ver=CBV2.0` as its first and last hex digits: enough to tell events apart on screen. */
export function shortHash(hash: string): string {
  const hex = /sha-256;([0-9a-f]{64})/i.exec(hash)?.[1];
  return hex ? `sha-256 ${hex.slice(0, 10)}…${hex.slice(-4)}` : hash;
}

/** An event time as captured (its own UTC offset kept): 2023-03-01 08:00:00 +01:00. */
export const eventTimeText = (t: string) => t.replace('T', ' ').replace(/(Z|[+-]\d{2}:\d{2})$/, ' $1');

const tierKey = (e: TraceEvent | null) => (!e ? 'no-event' : !e.site ? 'no-site' : e.site.tier === null ? 'no-tier' : `tier-${e.site.tier}`);

const GROUP_LABELS: Readonly<Record<string, string>> = {
  'no-tier': 'Tier unknown: the site supplies no SKU',
  'no-site': 'No site: the location is not mapped to a site',
  'no-event': 'Where unknown: no event on record',
};

/**
 * The trace grouped by the tier of the site where each lot was (the site of
 * its linking event; the traced lot's: where it was made or first seen). The
 * traced lot's tier comes first, then tiers in the trace's direction
 * (backward: upstream, tier 1 → n; forward: downstream, n → 1), then lots at
 * sites of no known tier, at no mapped site, with no event; a forward trace ends
 * with the SKUs it reached.
 */
export function tierGroups(trace: Trace): TierGroup[] {
  const nodes: TraceNode[] = [
    { key: 'lot-0', lot: trace.lot, root: true, depth: 0, via: null, event: trace.lot.origin },
    ...trace.lots.map((l, i) => ({ key: `lot-${i + 1}`, lot: l, root: false, depth: l.depth, via: l.via, event: l.event })),
  ];
  const byKey = new Map<string, TraceNode[]>();
  for (const n of nodes) byKey.set(tierKey(n.event), [...(byKey.get(tierKey(n.event)) ?? []), n]);
  const rootKey = tierKey(trace.lot.origin);
  const rank = (key: string) => {
    if (key === rootKey) return -Infinity;
    const last = ['no-tier', 'no-site', 'no-event'].indexOf(key);
    if (last >= 0) return Number.MAX_SAFE_INTEGER + last;
    const tier = Number(key.slice('tier-'.length));
    return trace.direction === 'forward' ? -tier : tier;
  };
  const time = (n: TraceNode) => (n.event ? Date.parse(n.event.eventTime) : Infinity);
  const groups: TierGroup[] = [...byKey.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, lots]) => ({
      key,
      label: GROUP_LABELS[key] ?? `Tier ${key.slice('tier-'.length)}`,
      lots: lots.sort((a, b) => Number(b.root) - Number(a.root) || a.depth - b.depth || time(a) - time(b) || (a.lot.lotId < b.lot.lotId ? -1 : 1)),
      skus: [],
    }));
  if (trace.skus.length > 0) groups.push({ key: 'skus', label: 'SKUs reached', lots: [], skus: trace.skus });
  return groups;
}

/** Copies text to the clipboard; false when the browser allows neither the Clipboard API nor the copy command. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain HTTP on a private network has no Clipboard API: the copy command still works from a selection.
    const back = document.activeElement as HTMLElement | null;
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    back?.focus();
    return ok;
  }
}

interface Props {
  trace: Trace;
  labelledBy: string;
}

/**
 * The trace as a WAI-ARIA tree: tiers are branches, lots and SKUs are leaves.
 * One tab stop (the active item, roving tabindex); arrows move and open or
 * close branches, Home/End jump, Enter/Space toggle a branch or open a SKU,
 * `*` opens every branch. A lot's copy button is in the tab order only while
 * its lot is the active item.
 */
export function TraceTree({ trace, labelledBy }: Props) {
  const groups = tierGroups(trace);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(groups[0]?.key ?? '');
  const [copied, setCopied] = useState<string | null>(null);

  // Keys are DOM ids too: SKUs by position (their ids are free text), lots by theirs (lot-0 the traced lot).
  const skuKey = (i: number) => `sku-${i}`;
  const skuOf = new Map(groups.flatMap((g) => g.skus.map((s, i) => [skuKey(i), s.skuId] as const)));
  const childKeys = (g: TierGroup) => [...g.lots.map((l) => l.key), ...g.skus.map((_, i) => skuKey(i))];
  const parentOf = new Map(groups.flatMap((g) => childKeys(g).map((k) => [k, g.key] as const)));
  const visible = groups.flatMap((g) => [g.key, ...(collapsed.has(g.key) ? [] : childKeys(g))]);
  const domId = (key: string) => `trace-item-${key}`;
  const names = new Map(groups.flatMap((g) => g.lots.map((n) => [n.lot.lotId, lotName(n.lot)] as const)));

  const focus = (key: string) => {
    setActive(key);
    document.getElementById(domId(key))?.focus();
  };
  const toggle = (key: string, open?: boolean) => {
    const next = new Set(collapsed);
    if (open ?? next.has(key)) next.delete(key);
    else next.add(key);
    setCollapsed(next);
    // A closed branch hides its children: the tab stop moves up to the branch.
    if (next.has(key) && parentOf.get(active) === key) setActive(key);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const item = e.target as HTMLElement;
    if (item.getAttribute('role') !== 'treeitem') return; // a copy button keeps its own keys
    const key = item.dataset.key!;
    const branch = groups.find((g) => g.key === key);
    const at = visible.indexOf(key);
    const sku = skuOf.get(key);
    switch (e.key) {
      case 'ArrowDown':
        if (at < visible.length - 1) focus(visible[at + 1]);
        break;
      case 'ArrowUp':
        if (at > 0) focus(visible[at - 1]);
        break;
      case 'ArrowRight':
        if (branch && collapsed.has(key)) toggle(key, true);
        else if (branch && childKeys(branch).length > 0) focus(childKeys(branch)[0]);
        break;
      case 'ArrowLeft':
        if (branch && !collapsed.has(key)) toggle(key, false);
        else if (parentOf.has(key)) focus(parentOf.get(key)!);
        break;
      case 'Home':
        focus(visible[0]);
        break;
      case 'End':
        focus(visible[visible.length - 1]);
        break;
      case 'Enter':
      case ' ':
        if (branch) toggle(key);
        else if (sku) navigate(href('skus', sku));
        break;
      case '*':
        setCollapsed(new Set());
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const copy = async (node: TraceNode) => {
    const hash = node.event!.eventHash;
    setCopied((await copyText(hash)) ? `Copied the event hash of ${lotName(node.lot)}.` : `Could not copy; the event hash of ${lotName(node.lot)} is ${hash}`);
  };

  return (
    <>
      <p class="status trace-copied" role="status" aria-live="polite">
        {copied}
      </p>
      <ul class="trace-tree" role="tree" aria-labelledby={labelledBy} onKeyDown={onKeyDown}>
        {groups.map((g) => {
          const open = !collapsed.has(g.key);
          const count = g.skus.length ? `${g.skus.length} ${g.skus.length === 1 ? 'SKU' : 'SKUs'}` : `${g.lots.length} ${g.lots.length === 1 ? 'lot' : 'lots'}`;
          return (
            <li
              key={g.key}
              id={domId(g.key)}
              data-key={g.key}
              class="trace-branch"
              role="treeitem"
              aria-level={1}
              aria-expanded={open}
              aria-labelledby={`${domId(g.key)}-label`}
              tabIndex={active === g.key ? 0 : -1}
              onFocus={() => setActive(g.key)}
            >
              <span class="trace-row trace-branch-row" id={`${domId(g.key)}-label`} onClick={() => toggle(g.key)}>
                <span class="trace-twisty" aria-hidden="true">
                  {open ? '▾' : '▸'}
                </span>
                <strong>{g.label}</strong> <span class="sub">· {count}</span>
              </span>
              <ul role="group" hidden={!open}>
                {g.lots.map((n) => (
                  <LotItem
                    key={n.key}
                    node={n}
                    id={domId(n.key)}
                    active={active === n.key}
                    link={linkText(n, trace.direction, n.via === null ? null : (names.get(n.via) ?? n.via))}
                    onActive={setActive}
                    onCopy={copy}
                  />
                ))}
                {g.skus.map((s, i) => (
                  <li
                    key={s.skuId}
                    id={domId(skuKey(i))}
                    data-key={skuKey(i)}
                    data-sku-id={s.skuId}
                    class="trace-leaf"
                    role="treeitem"
                    aria-level={2}
                    tabIndex={active === skuKey(i) ? 0 : -1}
                    onFocus={() => setActive(skuKey(i))}
                  >
                    <span class="trace-row">
                      <a href={href('skus', s.skuId)} tabIndex={-1}>
                        {s.name}
                      </a>{' '}
                      <span class="sub">
                        SKU {s.skuId} · GTIN {s.gtin} · from {s.lotIds.length} {s.lotIds.length === 1 ? 'lot' : 'lots'} of this trace
                      </span>
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** How the lot's event links it into the trace, in words. */
function linkText(node: TraceNode, direction: Trace['direction'], via: string | null): string {
  if (node.root) return 'origin:';
  return direction === 'backward' ? `went into ${via} by` : `made from ${via} by`;
}

interface LotItemProps {
  node: TraceNode;
  id: string;
  active: boolean;
  link: string;
  onActive: (key: string) => void;
  onCopy: (node: TraceNode) => Promise<void>;
}

function LotItem({ node, id, active, link, onActive, onCopy }: LotItemProps) {
  const { lot, event } = node;
  const site = event?.site ?? null;
  return (
    <li
      id={id}
      data-key={node.key}
      data-lot-id={lot.lotId}
      class={node.root ? 'trace-leaf trace-root' : 'trace-leaf'}
      role="treeitem"
      aria-level={2}
      aria-labelledby={`${id}-name`}
      aria-describedby={`${id}-facts`}
      tabIndex={active ? 0 : -1}
      onFocus={() => onActive(node.key)}
    >
      <div class="trace-row">
        <span id={`${id}-name`} class="trace-lot-name">
          {lotName(lot)}
          {node.root ? <span class="tag">traced lot</span> : <span class="tag">level {node.depth}</span>}
        </span>
        <div id={`${id}-facts`} class="trace-facts">
          <div class="sub trace-lot-id">{lot.lotId}</div>
          <div>
            {site ? (
              <>
                Site {site.siteId} · supplier {site.supplierId ?? 'not on record'} · {site.tier === null ? 'tier unknown' : `tier ${site.tier}`}
              </>
            ) : event ? (
              'No site mapped for this event’s location'
            ) : (
              'No event on record'
            )}
            {event && <> · {eventTimeText(event.eventTime)}</>}
          </div>
          {event && (
            <div class="trace-event">
              {link} {event.type} ({bizStepName(event.bizStep)}) · event <code title={event.eventHash}>{shortHash(event.eventHash)}</code>
            </div>
          )}
        </div>
        {event && (
          <button
            type="button"
            class="secondary small trace-copy"
            tabIndex={active ? 0 : -1}
            aria-label={`Copy the event hash of ${lotName(lot)}`}
            onClick={() => void onCopy(node)}
          >
            Copy hash
          </button>
        )}
      </div>
    </li>
  );
}
