import { useCallback, useMemo } from 'preact/hooks';
import type { Schemas } from '../api';
import { fmtCompact, fmtMoney, fmtPct } from '../format';
import { PlotChart, type PlotModule } from './plot-figure';
import { DataTable } from './ui';

type Driver = Schemas['TwinDriver'];

/** A driver with its contribution, as the chart draws it. */
interface Bar {
  id: string;
  rank: number;
  name: string;
  type: string;
  presence: number;
  /** Expected total revenue at risk with every driver, and with this one left out. */
  with: number;
  without: number;
  swing: number;
}

/** Drivers with a contribution by swing, the largest first (then by id): the order of the chart and its table. */
export function bySwing(drivers: Driver[]): Driver[] {
  return drivers.filter((d) => d.contribution !== null).sort((a, b) => b.contribution! - a.contribution! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Height of one bar's row: its label above, the bar below. */
const ROW = 54;
const LABEL_GAP = 4;
const BAR = '#a63d27';
/** A bar at least this share of the axis holds its swing inside. */
const INSIDE_SHARE = 0.22;
/** The drop without it (a rise, should leaving an event out ever raise the total). */
const swingText = (b: Bar) => `${b.swing >= 0 ? '−' : '+'}${fmtMoney(Math.abs(b.swing))}`;
const INK = '#1b1f24';

/**
 * What drives the expected loss (DESIGN §9): per event (or scenario impact),
 * the expected total revenue at risk with every event and with it left out,
 * as a tornado — the largest swing on top. Each bar is labelled with its
 * name and swing in words, and the table below lists the same figures.
 */
export function TornadoChart({
  drivers,
  total,
  names,
  contributionSamples,
  samples,
}: {
  drivers: Driver[];
  /** Expected total revenue at risk over all SKUs, with every driver. */
  total: number;
  /** Names of the drivers the page knows (event titles); the id otherwise. */
  names: Map<string, string>;
  contributionSamples: number;
  samples: number;
}) {
  const bars = useMemo(
    () =>
      bySwing(drivers).map((d, i): Bar => ({
        id: d.id,
        rank: i + 1,
        name: names.get(d.id) ?? d.id,
        type: d.type,
        presence: d.presence,
        with: total,
        without: total - d.contribution!,
        swing: d.contribution!,
      })),
    [drivers, total, names],
  );

  const draw = useCallback(
    (Plot: PlotModule, width: number) => {
      const high = Math.max(total, ...bars.map((b) => b.without), 1);
      const low = Math.min(0, ...bars.map((b) => b.without));
      const marginTop = 8;
      const marginBottom = 42;
      return Plot.plot({
        width,
        height: marginTop + marginBottom + bars.length * ROW,
        marginTop,
        marginBottom,
        marginLeft: 12,
        marginRight: 20,
        style: { fontSize: '12px' },
        x: {
          domain: [low, high],
          nice: true,
          grid: true,
          ticks: width < 520 ? 3 : 6,
          tickFormat: (v: number) => fmtCompact(v),
          label: 'Expected total revenue at risk →',
          labelAnchor: 'right',
          labelArrow: 'none',
        },
        y: { domain: bars.map((b) => b.id), axis: null, paddingInner: 0.5, paddingOuter: 0.35 },
        marks: [
          Plot.barX(bars, { x1: 'without', x2: 'with', y: 'id', fill: BAR, className: 'tornado-bar' }),
          // Above each bar its rank and name (cut short with an ellipsis when the screen is narrow).
          Plot.text(bars, {
            y: 'id',
            text: (b: Bar) => `${b.rank}. ${b.name}`,
            frameAnchor: 'left',
            textAnchor: 'start',
            lineAnchor: 'bottom',
            dy: -(ROW / 4 + LABEL_GAP),
            fill: INK,
            fontWeight: 600,
            // in ems of the 12px labels: the frame's width less its margins
            lineWidth: Math.max(8, (width - 40) / 12 - 2),
            textOverflow: 'ellipsis',
            className: 'tornado-label',
          }),
          // Its swing, inside a long bar at its right end, else just left of a short one.
          Plot.text(
            bars.filter((b) => Math.abs(b.swing) / (high - low) >= INSIDE_SHARE),
            {
              y: 'id',
              x: (b: Bar) => Math.max(b.with, b.without),
              text: swingText,
              textAnchor: 'end',
              dx: -8,
              fill: 'white',
              fontWeight: 700,
              className: 'tornado-swing',
            },
          ),
          Plot.text(
            bars.filter((b) => Math.abs(b.swing) / (high - low) < INSIDE_SHARE),
            {
              y: 'id',
              x: (b: Bar) => Math.min(b.with, b.without),
              text: swingText,
              textAnchor: 'end',
              dx: -6,
              fill: INK,
              fontWeight: 700,
              className: 'tornado-swing',
            },
          ),
          // The total with every event, as a tick across each bar's row (a rule through the whole frame would cross the labels).
          Plot.tickX(bars, { x: 'with', y: 'id', stroke: INK, strokeWidth: 2, insetTop: -5, insetBottom: -5, className: 'tornado-total' }),
        ],
      });
    },
    [bars, total],
  );

  if (drivers.length === 0) return <p>The run drew no events.</p>;
  if (bars.length === 0) return <p>This run estimated no contributions (its contribution samples were 0), so there is nothing to rank.</p>;
  const top = bars[0];
  const summary =
    `${bars.length} ${bars.length === 1 ? 'event' : 'events'} by how much the expected total revenue at risk, ${fmtMoney(total)} with every event, ` +
    `drops when each is left out. The largest: ${top.name}, ${fmtMoney(top.swing)}.`;
  const partial = contributionSamples < samples ? ` Contributions are estimated on the first ${contributionSamples.toLocaleString('en')} samples.` : '';
  return (
    <figure class="tornado">
      <p class="chart-legend-text">
        Each bar runs from the expected total without that event (its left end) to the expected total with every event (the vertical mark, {fmtMoney(total)}
        ); the longer the bar, the more of the loss the event drives. The figure at its right end is the drop.
      </p>
      <PlotChart class="tornado-plot" label={`Tornado chart. ${summary}`} draw={draw} />
      <figcaption class="chart-caption">
        {summary}
        {partial}
      </figcaption>
      <details class="chart-data">
        <summary>The figures, as a table</summary>
        <DataTable
          label="What drives the expected loss"
          class="tornado-data"
          columns={[
            { label: 'Rank', num: true },
            'Event',
            'Type',
            { label: 'Present in', num: true },
            { label: 'Without it', num: true },
            { label: 'With every event', num: true },
            { label: 'Swing', num: true },
          ]}
        >
          {bars.map((b) => (
            <tr key={b.id} data-driver-id={b.id}>
              <td class="num">{b.rank}</td>
              <th scope="row">
                {b.name}
                {b.name !== b.id && <div class="sub">{b.id}</div>}
              </th>
              <td>{b.type}</td>
              <td class="num">{fmtPct(b.presence)}</td>
              <td class="num">{fmtMoney(b.without)}</td>
              <td class="num">{fmtMoney(b.with)}</td>
              <td class="num">{fmtMoney(b.swing)}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
}
