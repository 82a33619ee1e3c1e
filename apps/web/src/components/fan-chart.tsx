import { useCallback, useMemo, useState } from 'preact/hooks';
import type { Schemas } from '../api';
import { fmtDays, fmtMoney, fmtPct } from '../format';
import { PlotChart, type PlotModule } from './plot-figure';
import { DataTable } from './ui';

type Outlook = Schemas['TwinSkuOutlook'];
type Curve = Schemas['TwinDailyCurve'];

/** One day of the curve, in percent (what the axes show). */
interface Day {
  day: number;
  short: number;
  mean: number;
  p10?: number;
  p50?: number;
  p90?: number;
}

const pct = (v: number) => Math.round(v * 1000) / 10;

/** The curve as days in percent; one more point at the horizon so the last day's step is drawn to its end. */
function daysOf(curve: Curve): Day[] {
  const band = curve.supplyRatio;
  const days = curve.short.map((short, t): Day => ({
    day: t,
    short: pct(short),
    mean: pct(1 - curve.lostFraction[t]),
    ...(band ? { p10: pct(band.p10[t]), p50: pct(band.p50[t]), p90: pct(band.p90[t]) } : {}),
  }));
  if (days.length) days.push({ ...days[days.length - 1], day: days.length });
  return days;
}

/** Consecutive days with the same figures, as one row each: a 180-day horizon reads in a few rows. */
function dayRanges(days: Day[]): Array<{ from: number; to: number; day: Day }> {
  const rows: Array<{ from: number; to: number; day: Day }> = [];
  const key = (d: Day) => [d.short, d.mean, d.p10, d.p50, d.p90].join('/');
  for (const d of days.slice(0, -1)) {
    const last = rows[rows.length - 1];
    if (last && key(last.day) === key(d)) last.to = d.day;
    else rows.push({ from: d.day, to: d.day, day: d });
  }
  return rows;
}

/** The first day from which no sample is short to the horizon (0 when none ever is). */
function quietFrom(days: Day[]): number {
  for (let t = days.length - 2; t >= 0; t--) if (days[t].short > 0) return t + 1;
  return 0;
}

/** Days shown when zoomed: the shortages with some room after them, at least two weeks; null when that is most of the horizon anyway. */
function zoomedEnd(days: Day[]): number | null {
  const horizon = days.length - 1;
  const end = Math.max(14, Math.ceil(quietFrom(days) * 1.3) + 3);
  return end < horizon * 0.7 ? end : null;
}

const percentText = (v: number | undefined) => (v === undefined ? '—' : `${v.toLocaleString('en')} %`);

/** What the chart shows, in words: the probability, the worst day and the busiest day. */
function describe(skuId: string, outlook: Outlook, days: Day[]): string {
  const shown = days.slice(0, -1);
  const banded = shown.length > 0 && shown[0].p10 !== undefined;
  const worst = shown.reduce((w, d) => ((banded ? d.p10! < w.p10! : d.mean < w.mean) ? d : w), shown[0]);
  const busiest = shown.reduce((w, d) => (d.short > w.short ? d : w), shown[0]);
  const parts = [`${skuId} runs short in ${fmtPct(outlook.probability)} of the samples.`];
  if (!worst || busiest.short === 0) {
    parts.push('No sample is short on any day of the horizon.');
  } else if (banded) {
    parts.push(
      `Lowest P10 supply: ${percentText(worst.p10)} of normal on day ${worst.day} (median ${percentText(worst.p50)}, mean ${percentText(worst.mean)}).`,
      `Most samples short on day ${busiest.day}: ${percentText(busiest.short)}.`,
    );
  } else {
    parts.push(
      `Lowest mean supply: ${percentText(worst.mean)} of normal on day ${worst.day}; most samples short on day ${busiest.day}: ${percentText(busiest.short)}.`,
    );
  }
  return parts.join(' ');
}

/** The x axis of both charts: day 0 (today) to the horizon. */
const dayAxis = (days: Day[]) => ({
  domain: [0, Math.max(1, days.length - 1)],
  label: 'Days from today →',
  labelAnchor: 'right' as const,
  labelArrow: 'none' as const,
});

const BAND_FILL = '#a9cbeb';
const BAND_EDGE = '#3d6f9e';
const MEDIAN = '#0b3d91';
const MEAN = '#4a525c';
const SHORT_FILL = '#f3c892';
const SHORT_EDGE = '#8a4b00';

/**
 * A SKU's supply over the horizon (DESIGN §9): the P10–P90 band of the daily
 * supply ratio (1 − lost fraction), its median as a solid line and its mean
 * dashed, then the share of samples short each day; the probability of
 * running short, the figures in words and the data as a table. A run stored
 * before the percentiles were recorded shows the mean only.
 */
export function FanChart({ outlook }: { outlook: Outlook }) {
  const curve = outlook.curve;
  const all = useMemo(() => (curve ? daysOf(curve) : []), [curve]);
  const banded = Boolean(curve?.supplyRatio);
  // A shortage of a few weeks would be a sliver of a 180-day axis: the charts start zoomed onto it.
  const end = zoomedEnd(all);
  const [whole, setWhole] = useState(false);
  const days = useMemo(() => (whole || end === null ? all : all.slice(0, end + 1)), [all, whole, end]);

  const drawSupply = useCallback(
    (Plot: PlotModule, width: number) =>
      Plot.plot({
        width,
        height: Math.round(Math.min(320, Math.max(210, width * 0.42))),
        marginLeft: 40,
        marginRight: 14,
        marginBottom: 36,
        style: { fontSize: '12px' },
        x: dayAxis(days),
        y: { domain: [0, 100], label: '↑ Supply, % of normal', labelArrow: 'none', grid: true, ticks: 5 },
        marks: [
          banded ? Plot.areaY(days, { x: 'day', y1: 'p10', y2: 'p90', curve: 'step-after', fill: BAND_FILL, className: 'fan-band' }) : null,
          banded ? Plot.lineY(days, { x: 'day', y: 'p10', curve: 'step-after', stroke: BAND_EDGE, strokeWidth: 1, className: 'fan-p10' }) : null,
          banded ? Plot.lineY(days, { x: 'day', y: 'p90', curve: 'step-after', stroke: BAND_EDGE, strokeWidth: 1, className: 'fan-p90' }) : null,
          Plot.lineY(days, { x: 'day', y: 'mean', curve: 'step-after', stroke: MEAN, strokeWidth: 1.5, strokeDasharray: '6 4', className: 'fan-mean' }),
          banded ? Plot.lineY(days, { x: 'day', y: 'p50', curve: 'step-after', stroke: MEDIAN, strokeWidth: 2.5, className: 'fan-p50' }) : null,
          Plot.ruleY([0]),
        ],
      }),
    [days, banded],
  );

  const drawShort = useCallback(
    (Plot: PlotModule, width: number) =>
      Plot.plot({
        width,
        height: 150,
        marginLeft: 40,
        marginRight: 14,
        marginBottom: 36,
        style: { fontSize: '12px' },
        x: dayAxis(days),
        y: { domain: [0, 100], label: '↑ Samples short, %', labelArrow: 'none', grid: true, ticks: 3 },
        marks: [
          Plot.areaY(days, { x: 'day', y: 'short', curve: 'step-after', fill: SHORT_FILL, className: 'short-area' }),
          Plot.lineY(days, { x: 'day', y: 'short', curve: 'step-after', stroke: SHORT_EDGE, strokeWidth: 1.5 }),
          Plot.ruleY([0]),
        ],
      }),
    [days],
  );

  if (!curve) return <p>This run’s answer has no daily curve for {outlook.skuId}.</p>;
  const summary = describe(outlook.skuId, outlook, all);
  const horizon = all.length - 1;
  return (
    <figure class="fan-chart" data-sku-id={outlook.skuId}>
      <dl class="facts twin-facts">
        <div>
          <dt>Probability of running short</dt>
          <dd class="big twin-probability">{fmtPct(outlook.probability)}</dd>
        </div>
        <div>
          <dt>Revenue at risk, P50 · P90</dt>
          <dd>
            {fmtMoney(outlook.revenueAtRisk.p50)} · {fmtMoney(outlook.revenueAtRisk.p90)}
          </dd>
        </div>
        <div>
          <dt>Days short, P50 · P90</dt>
          <dd>
            {fmtDays(outlook.days.p50)} · {fmtDays(outlook.days.p90)}
          </dd>
        </div>
        <div>
          <dt>Onset when short, P50</dt>
          <dd>{outlook.exposedSamples > 0 ? `day ${Math.round(outlook.onset.p50 * 10) / 10}` : '—'}</dd>
        </div>
      </dl>
      <ul class="chart-legend">
        {banded && (
          <li>
            <svg width="28" height="14" aria-hidden="true">
              <rect x="1" y="2" width="26" height="10" fill={BAND_FILL} stroke={BAND_EDGE} />
            </svg>
            P10 to P90: the middle 80 % of samples
          </li>
        )}
        {banded && (
          <li>
            <svg width="28" height="14" aria-hidden="true">
              <line x1="1" y1="7" x2="27" y2="7" stroke={MEDIAN} stroke-width="3" />
            </svg>
            P50 (median), solid
          </li>
        )}
        <li>
          <svg width="28" height="14" aria-hidden="true">
            <line x1="1" y1="7" x2="27" y2="7" stroke={MEAN} stroke-width="2" stroke-dasharray="6 4" />
          </svg>
          Mean, dashed
        </li>
      </ul>
      {end !== null && (
        <button type="button" class="small secondary" aria-pressed={whole} onClick={() => setWhole(!whole)}>
          {whole ? `Zoom to days 0–${end}` : `Show all ${horizon} days`}
        </button>
      )}
      <PlotChart class="fan-supply" label={`Fan chart of ${outlook.skuId}'s daily supply. ${summary}`} draw={drawSupply} />
      <PlotChart class="fan-short" label={`Share of samples in which ${outlook.skuId} is short, per day.`} draw={drawShort} />
      <figcaption class="chart-caption">
        {summary}
        {end !== null && !whole && ` The charts show days 0–${end}: from day ${quietFrom(all)} to the horizon (day ${horizon}) no sample is short.`}
        {!banded && ' This run was stored before daily percentiles were recorded: the chart shows the mean supply only.'}
      </figcaption>
      <details class="chart-data">
        <summary>The figures by day, as a table</summary>
        <DataTable
          label={`Daily supply of ${outlook.skuId}`}
          class="fan-data"
          columns={[
            'Days',
            { label: 'Samples short', num: true },
            { label: 'P10 supply', num: true },
            { label: 'P50 supply', num: true },
            { label: 'P90 supply', num: true },
            { label: 'Mean supply', num: true },
          ]}
        >
          {dayRanges(all).map((r) => (
            <tr key={r.from}>
              <th scope="row">{r.from === r.to ? `day ${r.from}` : `days ${r.from}–${r.to}`}</th>
              <td class="num">{percentText(r.day.short)}</td>
              <td class="num">{percentText(r.day.p10)}</td>
              <td class="num">{percentText(r.day.p50)}</td>
              <td class="num">{percentText(r.day.p90)}</td>
              <td class="num">{percentText(r.day.mean)}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
}
