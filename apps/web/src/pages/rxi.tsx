import { useState } from 'preact/hooks';
import { client, unwrap } from '../api';
import { DataTable, LoadState, Meter, PageTitle } from '../components/ui';
import { fmtMoney } from '../format';
import { href } from '../router';
import { useAsync } from '../use-async';

const tierText = (tier: number | null) => (tier === null ? 'unlinked' : `tier ${tier}`);

/** The row heading of a site: its id, and its supplier under it. */
function SiteHeading({ site }: { site: { siteId: string; supplierId: string } }) {
  return (
    <th scope="row">
      {site.siteId}
      <div class="sub">supplier {site.supplierId}</div>
    </th>
  );
}

/** A site's tier, tagged when it is hidden (tier 2 or deeper). */
function TierCell({ tier, hidden }: { tier: number | null; hidden: boolean }) {
  return (
    <td>
      {tierText(tier)}
      {hidden && <span class="tag">hidden</span>}
    </td>
  );
}

const LOSS_COLUMN = { label: 'Revenue at risk if lost', num: true };

/** The Risk Exposure Index top list: which site's loss would cost the most, sub-tier ones called out. */
export function RxiPage() {
  const [onlyHidden, setOnlyHidden] = useState(false);
  const state = useAsync(
    () =>
      Promise.all([
        unwrap(client.GET('/v1/risk/rxi', { params: { query: { limit: 50 } } })),
        unwrap(client.GET('/v1/risk/spof', { params: { query: { limit: 25 } } })),
      ]),
    [],
  );
  const [rxi, spof] = state.data ?? [null, null];
  const sites = (rxi?.sites ?? []).filter((s) => !onlyHidden || (s.tier !== null && s.tier >= 2));
  return (
    <div>
      <PageTitle>Hidden chokepoints</PageTitle>
      <p>
        The Risk Exposure Index (RXI) loses each site alone for its time to recover and adds up the revenue at risk over every SKU; the worst site scores 1.00.
        Sites at tier 2 or deeper are the ones no one sees without the sub-tier map.
      </p>
      <LoadState state={state} what="the risk index" />
      {rxi && (
        <section aria-labelledby="rxi-h">
          <h2 id="rxi-h">Sites by RXI</h2>
          <label class="inline checkbox">
            <input type="checkbox" checked={onlyHidden} onChange={(e) => setOnlyHidden((e.target as HTMLInputElement).checked)} /> Only tier 2 and deeper
          </label>
          {sites.length === 0 ? (
            <p>No site puts revenue at risk{onlyHidden ? ' at tier 2 or deeper' : ''}.</p>
          ) : (
            <DataTable label="Sites by RXI" class="rxi" columns={['#', 'Site', 'Tier', 'Country', 'RXI', LOSS_COLUMN]}>
              {sites.map((s, i) => {
                const hidden = s.tier !== null && s.tier >= 2;
                return (
                  <tr key={s.siteId} class={hidden ? 'hidden-site' : undefined}>
                    <td>{i + 1}</td>
                    <SiteHeading site={s} />
                    <TierCell tier={s.tier} hidden={hidden} />
                    <td>{s.country}</td>
                    <td>
                      <Meter value={s.rxi} label={s.rxi.toFixed(2)} />
                    </td>
                    <td class="num">{fmtMoney(s.revenueAtRisk)}</td>
                  </tr>
                );
              })}
            </DataTable>
          )}
        </section>
      )}
      {spof && (
        <section aria-labelledby="spof-h">
          <h2 id="spof-h">Single points of failure</h2>
          <p>Sites whose loss alone stops a SKU entirely.</p>
          {spof.items.length === 0 ? (
            <p>None: every SKU survives the loss of any one site in part.</p>
          ) : (
            <DataTable label="Single points of failure" columns={['Site', 'Tier', 'SKUs stopped', LOSS_COLUMN]}>
              {spof.items.map((s) => (
                <tr key={s.siteId} class={s.hidden ? 'hidden-site' : undefined}>
                  <SiteHeading site={s} />
                  <TierCell tier={s.tier} hidden={s.hidden} />
                  <td>
                    {s.skuIds.slice(0, 5).map((id, i) => (
                      <span key={id}>
                        {i > 0 && ', '}
                        <a href={href('skus', id)}>{id}</a>
                      </span>
                    ))}
                    {s.skuIds.length > 5 && ` and ${s.skuIds.length - 5} more`}
                  </td>
                  <td class="num">{fmtMoney(s.revenueAtRisk)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      )}
    </div>
  );
}
