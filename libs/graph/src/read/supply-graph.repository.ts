import { Injectable } from '@nestjs/common';
import neo4j from 'neo4j-driver';
import type { SupplyTerms } from '@tiersight/contracts';
import { GraphError, GraphErrorCode } from '../graph.errors';
import { Neo4jService } from '../neo4j.service';
import type { SupplierSiteFields } from '../supply-network.writer';
import * as Q from './supply-graph.cypher';
import { decodeCursor, Page, toPage } from './pagination';

export interface SupplierView {
  id: string;
  name: string;
  country: string;
  ownerSupplierId: string | null;
  visibility: string;
  tier: number | null;
  siteCount: number;
}
export interface SiteView extends SupplierSiteFields {
  id: string;
  supplierId: string;
  baselineRisk: number;
  source: string;
  confirmedAt: string | null;
  /** GS1 location id, canonical Digital Link; null when none was given. */
  gln: string | null;
  tier: number | null;
}
export interface SkuView {
  id: string;
  name: string;
  dailyRevenue: number;
  category: string | null;
  /** 14 digits; null when none was given. */
  gtin: string | null;
  tier: 0;
}
export interface UpstreamEdge extends SupplyTerms {
  fromSiteId: string;
  supplierId: string;
  country: string;
  toId: string;
  source: string;
  confirmedAt: string | null;
}
export interface UpstreamTree {
  skuId: string;
  depth: number;
  tiers: { tier: number; edges: UpstreamEdge[] }[];
}
export interface DownstreamSku {
  skuId: string;
  name: string;
  dailyRevenue: number;
  /** Largest product of shares over any path from one of the supplier's sites to the SKU. */
  share: number;
  /** Fewest SUPPLIES hops from one of the supplier's sites to the SKU. */
  hops: number;
}

/** Bound on downstream walks; deeper chains than this are not real supply networks. */
const MAX_WALK_DEPTH = 32;

@Injectable()
export class SupplyGraphRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async supplier(id: string): Promise<SupplierView> {
    const rec = await this.neo4j.read((tx) => tx.run(Q.GET_SUPPLIER, { id }));
    if (rec.records.length === 0) throw notFound('supplier', id);
    return toSupplier(rec.records[0]);
  }

  async suppliers(limit: number, cursor?: string): Promise<Page<SupplierView>> {
    const res = await this.neo4j.read((tx) => tx.run(Q.LIST_SUPPLIERS, { after: decodeCursor(cursor), limit: neo4j.int(limit + 1) }));
    return toPage(res.records.map(toSupplier), limit);
  }

  async site(id: string): Promise<SiteView> {
    const res = await this.neo4j.read((tx) => tx.run(Q.GET_SITE, { id }));
    if (res.records.length === 0) throw notFound('site', id);
    return toSite(res.records[0]);
  }

  async sites(limit: number, cursor?: string): Promise<Page<SiteView>> {
    const res = await this.neo4j.read((tx) => tx.run(Q.LIST_SITES, { after: decodeCursor(cursor), limit: neo4j.int(limit + 1) }));
    return toPage(res.records.map(toSite), limit);
  }

  async sku(id: string): Promise<SkuView> {
    const res = await this.neo4j.read((tx) => tx.run(Q.GET_SKU, { id }));
    if (res.records.length === 0) throw notFound('SKU', id);
    return { ...(res.records[0].get('sku') as Omit<SkuView, 'tier'>), tier: 0 };
  }

  async skus(limit: number, cursor?: string): Promise<Page<SkuView>> {
    const res = await this.neo4j.read((tx) => tx.run(Q.LIST_SKUS, { after: decodeCursor(cursor), limit: neo4j.int(limit + 1) }));
    return toPage(
      res.records.map((r) => ({ ...(r.get('sku') as Omit<SkuView, 'tier'>), tier: 0 as const })),
      limit,
    );
  }

  /** The SKU's supply tree, one tier per level; a site already shown at a nearer tier is not expanded again. */
  async upstream(skuId: string, depth: number): Promise<UpstreamTree> {
    await this.sku(skuId);
    return this.neo4j.read(async (tx) => {
      const tiers: UpstreamTree['tiers'] = [];
      const expanded = new Set<string>([skuId]);
      let frontier = [skuId];
      for (let tier = 1; tier <= depth && frontier.length > 0; tier++) {
        const res = await tx.run(Q.INCOMING_EDGES, { ids: frontier });
        const edges = res.records.map((r) => r.toObject() as UpstreamEdge);
        tiers.push({ tier, edges });
        frontier = [...new Set(edges.map((e) => e.fromSiteId))].filter((id) => !expanded.has(id));
        frontier.forEach((id) => expanded.add(id));
      }
      return { skuId, depth, tiers };
    });
  }

  /** SKUs that depend on any site of the supplier, with the strongest share chain and the fewest hops. */
  async downstream(supplierId: string): Promise<DownstreamSku[]> {
    await this.supplier(supplierId);
    return this.neo4j.read(async (tx) => {
      const siteIds = (await tx.run(Q.SUPPLIER_SITE_IDS, { id: supplierId })).records.map((r) => r.get('id') as string);
      const best = new Map<string, { share: number; hops: number }>(siteIds.map((id) => [id, { share: 1, hops: 0 }]));
      const skuIds = new Set<string>();
      let frontier = siteIds;
      for (let step = 1; step <= MAX_WALK_DEPTH && frontier.length > 0; step++) {
        const res = await tx.run(Q.OUTGOING_EDGES, { ids: frontier });
        const next = new Set<string>();
        for (const r of res.records) {
          const from = best.get(r.get('fromId'))!;
          const toId = r.get('toId') as string;
          const share = from.share * (r.get('share') as number);
          const known = best.get(toId);
          if (!known || share > known.share + 1e-12 || step < known.hops) {
            best.set(toId, { share: Math.max(share, known?.share ?? 0), hops: Math.min(step, known?.hops ?? step) });
            if (r.get('toSku')) skuIds.add(toId);
            else next.add(toId);
          }
        }
        frontier = [...next];
      }
      if (skuIds.size === 0) return [];
      const skus = await tx.run(Q.SKUS_BY_ID, { ids: [...skuIds] });
      return skus.records
        .map((r) => {
          const sku = r.get('sku') as { id: string; name: string; dailyRevenue: number };
          const b = best.get(sku.id)!;
          return { skuId: sku.id, name: sku.name, dailyRevenue: sku.dailyRevenue, share: round(b.share), hops: b.hops };
        })
        .sort((a, b) => b.share - a.share || b.dailyRevenue - a.dailyRevenue || a.skuId.localeCompare(b.skuId));
    });
  }
}

const round = (v: number) => Math.round(v * 1e9) / 1e9;

type Rec = { get(key: string): unknown };

function toSupplier(r: Rec): SupplierView {
  return {
    ...(r.get('supplier') as Omit<SupplierView, 'tier' | 'siteCount'>),
    tier: (r.get('tier') as number | null) ?? null,
    siteCount: r.get('siteCount') as number,
  };
}

function toSite(r: Rec): SiteView {
  return { ...(r.get('site') as Omit<SiteView, 'tier'>), tier: (r.get('tier') as number | null) ?? null };
}

function notFound(what: string, id: string): GraphError {
  return new GraphError(GraphErrorCode.NotFound, `${what} ${id} does not exist`);
}
