import { generateNetwork, planNetwork, type NetworkSize } from '@tiersight/demo-network';
import { gs1CheckDigit } from '@tiersight/epcis-formats';
import type { FlowNetwork } from './lot-flows';

/** The network the flows run over: the generated one, sites with GLNs and SKUs with GTINs, tiers and customers from its plan. */
export function flowNetwork(size: NetworkSize, seed: number) {
  const plan = planNetwork({ size, seed });
  const network = generateNetwork({ size, seed });
  const siteGln = network.sites.map((_, i) => `40${String(1_000_000 + i).padStart(10, '0')}`).map((d) => d + String(gs1CheckDigit(d)));
  const skuGtin = network.skus.map((_, i) => `05012345${String(i).padStart(5, '0')}`).map((d) => d + String(gs1CheckDigit(d)));
  network.sites.forEach((s, i) => (s.gln = siteGln[i]));
  network.skus.forEach((k, i) => (k.gtin = skuGtin[i]));
  const customers: number[][] = network.sites.map(() => []);
  const skuGtins: string[][] = network.sites.map(() => []);
  for (let e = 0; e < plan.edges.length; e++) {
    const to = plan.edges.to[e];
    if (to >= 0) customers[plan.edges.from[e]].push(to);
    else skuGtins[plan.edges.from[e]].push(skuGtin[-to - 1]);
  }
  const flows: FlowNetwork = { siteGln, siteTier: plan.siteTier, customers, skuGtins, tiers: plan.counts.tiers };
  return { network, flows, tiers: plan.counts.tiers };
}
