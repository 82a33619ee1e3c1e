import { useState } from 'preact/hooks';
import { client, unwrap } from '../api';
import { ErrorNote, Loading, Meter, PageTitle, TableWrap } from '../components/ui';
import { fmtMoney } from '../format';
import { href } from '../router';
import { useAsync } from '../use-async';

const tierText = (tier: number | null) => (tier === null ? 'unlinked' : `tier ${tier}`);

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
      {state.loading && <Loading what="the risk index" />}
      {state.error && <ErrorNote message={state.error} />}
      {rxi && (
        <section aria-labelledby="rxi-h">
          <h2 id="rxi-h">Sites by RXI</h2>
          <label class="inline checkbox">
            <input type="checkbox" checked={onlyHidden} onChange={(e) => setOnlyHidden((e.target as HTMLInputElement).checked)} /> Only tier 2 and deeper
          </label>
          {sites.length === 0 ? (
            <p>No site puts revenue at risk{onlyHidden ? ' at tier 2 or deeper' : ''}.</p>
          ) : (
            <TableWrap label="Sites by RXI">
              <table class="rxi">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Site</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Country</th>
                    <th scope="col">RXI</th>
                    <th scope="col" class="num">
                      Revenue at risk if lost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sites.map((s, i) => {
                    const hidden = s.tier !== null && s.tier >= 2;
                    return (
                      <tr key={s.siteId} class={hidden ? 'hidden-site' : undefined}>
                        <td>{i + 1}</td>
                        <th scope="row">
                          {s.siteId}
                          <div class="sub">supplier {s.supplierId}</div>
                        </th>
                        <td>
                          {tierText(s.tier)}
                          {hidden && <span class="tag">hidden</span>}
                        </td>
                        <td>{s.country}</td>
                        <td>
                          <Meter value={s.rxi} label={s.rxi.toFixed(2)} />
                        </td>
                        <td class="num">{fmtMoney(s.revenueAtRisk)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
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
            <TableWrap label="Single points of failure">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Site</th>
                    <th scope="col">Tier</th>
                    <th scope="col">SKUs stopped</th>
                    <th scope="col" class="num">
                      Revenue at risk if lost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {spof.items.map((s) => (
                    <tr key={s.siteId} class={s.hidden ? 'hidden-site' : undefined}>
                      <th scope="row">
                        {s.siteId}
                        <div class="sub">supplier {s.supplierId}</div>
                      </th>
                      <td>
                        {tierText(s.tier)}
                        {s.hidden && <span class="tag">hidden</span>}
                      </td>
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
                </tbody>
              </table>
            </TableWrap>
          )}
        </section>
      )}
    </div>
  );
}
