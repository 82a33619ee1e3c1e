import { documentExcerpt, excerpt, FeedDocumentError, isRecord } from './document-text';
import type { DeadLetter, FeedContext } from './feed-adapter';
import { parseXmlDocument, rootElement, xmlAttr, xmlChild, xmlList, xmlText } from './xml';
import type { XmlNode } from './xml';

/** One entry of an Atom or RSS CAP feed. */
export interface CapFeedEntry {
  /** Atom `<id>` or RSS `<guid>`, else the entry's position. */
  ref: string;
  title: string;
  /** The link to the full alert: an Atom link typed `application/cap+xml`, else the alternate/plain link; RSS `<link>`. */
  url: string | null;
  updated: string | null;
  /** The CAP `<alert>` embedded in the entry (Atom `<content>`, or directly in an RSS item), if any. */
  alert: XmlNode | null;
}

export interface CapIndexEntry {
  ref: string;
  title: string;
  url: string;
  updated: string | null;
  embedsAlert: boolean;
}

export interface CapIndexResult {
  entries: CapIndexEntry[];
  deadLetters: DeadLetter[];
}

interface InvalidEntry {
  ref: string;
  reason: string;
  raw: unknown;
}

/**
 * Reads a CAP index feed (Atom or RSS whose entries link to CAP alerts, as
 * NWS, WMO and many issuers publish). It is not a `FeedAdapter`: it returns
 * the links to fetch, each then parsed by the `cap` adapter. Entries that
 * neither link to nor embed an alert are dead letters; an empty feed is a
 * valid, empty index.
 */
export function parseCapIndex(document: string | Buffer, context: Pick<FeedContext, 'sourceId'>): CapIndexResult {
  const deadLetters: DeadLetter[] = [];
  const dead = (itemRef: string | null, reason: string, raw: unknown) =>
    deadLetters.push({ sourceId: context.sourceId, itemRef, reason, excerpt: excerpt(raw) });
  try {
    const root = rootElement(parseXmlDocument(document));
    if (root?.name !== 'feed' && root?.name !== 'rss') {
      throw new FeedDocumentError(`root element <${root?.name ?? 'none'}> is not an Atom <feed> or an RSS <rss>`);
    }
    const { entries, invalid } = feedEntries(root.name, root.node);
    for (const entry of invalid) dead(entry.ref, entry.reason, entry.raw);
    const withLinks = entries.filter((e): e is CapFeedEntry & { url: string } => e.url !== null);
    for (const entry of entries) if (entry.url === null) dead(entry.ref, 'entry embeds an alert but has no link to fetch', entry.alert);
    return {
      entries: withLinks.map(({ ref, title, url, updated, alert }) => ({ ref, title, url, updated, embedsAlert: alert !== null })),
      deadLetters,
    };
  } catch (error) {
    const reason =
      error instanceof FeedDocumentError ? error.message : `unexpected error while reading the document: ${(error as Error)?.message ?? String(error)}`;
    dead(null, reason, documentExcerpt(document));
    return { entries: [], deadLetters };
  }
}

/** Entries of an Atom `<feed>` or RSS `<rss>` root; those with neither a link nor an embedded alert are invalid. */
export function feedEntries(rootName: 'feed' | 'rss', root: XmlNode): { entries: CapFeedEntry[]; invalid: InvalidEntry[] } {
  const nodes = rootName === 'feed' ? xmlList(root.entry) : xmlList(xmlChild(root, 'channel')?.item);
  const entries: CapFeedEntry[] = [];
  const invalid: InvalidEntry[] = [];
  nodes.forEach((value, index) => {
    const node: XmlNode = isRecord(value) ? value : {};
    const entry = rootName === 'feed' ? atomEntry(node, index) : rssItem(node, index);
    if (!entry.url && !entry.alert) {
      invalid.push({ ref: entry.ref, reason: 'entry neither embeds a CAP alert nor links to one', raw: value });
    } else entries.push(entry);
  });
  return { entries, invalid };
}

function atomEntry(node: XmlNode, index: number): CapFeedEntry {
  const links = xmlList(node.link)
    .filter(isRecord)
    .filter((l) => xmlAttr(l, 'href'));
  const link =
    links.find((l) => /cap/i.test(xmlAttr(l, 'type'))) ??
    links.find((l) => ['', 'alternate'].includes(xmlAttr(l, 'rel'))) ??
    links.find((l) => xmlAttr(l, 'rel') !== 'self');
  const content = xmlChild(node, 'content');
  return {
    ref: xmlText(node.id) || `entry[${index}]`,
    title: xmlText(node.title),
    url: link ? xmlAttr(link, 'href') : null,
    updated: xmlText(node.updated) || null,
    alert: xmlChild(content, 'alert'),
  };
}

function rssItem(node: XmlNode, index: number): CapFeedEntry {
  return {
    ref: xmlText(node.guid) || `item[${index}]`,
    title: xmlText(node.title),
    url: xmlText(node.link) || null,
    updated: xmlText(node.pubDate) || null,
    alert: xmlChild(node, 'alert'),
  };
}
