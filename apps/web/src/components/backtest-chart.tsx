import { useCallback, useMemo } from 'preact/hooks';
import type { Schemas } from '../api';
import { PlotChart, type PlotModule } from './plot-figure';
import { DataTable } from './ui';

type Day = Schemas['BacktestDayView'];

/** One point of one series: a day and how many alerts went out on it. */
interface Point {
  date: Date;
  day: string;
  alerts: number;
  mode: 'on' | 'off';
}

const ON = '#0b3d91';
const ON_FILL = '#a9cbeb';
const OFF = '#8a4b00';
const DAY_MS = 86_400_000;

/** The series as points; each series a distinct line style and marker, so they read apart without colour. */
function pointsOf(days: Day[]): Point[] {
  return days.flatMap((d) => [
    { date: new Date(`${d.day}T00:00:00Z`), day: d.day, alerts: d.on, mode: 'on' as const },
    { date: new Date(`${d.day}T00:00:00Z`), day: d.day, alerts: d.off, mode: 'off' as const },
  ]);
}

/** The figures in words: totals per mode and the busiest day. */
export function describeVolume(days: Day[]): string {
  const on = days.reduce((n, d) => n + d.on, 0);
  const off = days.reduce((n, d) => n + d.off, 0);
  if (on === 0) return `No alert would have gone out on any of the ${days.length} days.`;
  const busiest = days.reduce((b, d) => (d.on > b.on ? d : b), days[0]);
  const alertDays = days.filter((d) => d.on > 0).length;
  const alerts = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'alert' : 'alerts'}`;
  return (
    `${alerts(on)} with anticipation on, ${off.toLocaleString('en')} with it off, over ${days.length} days ` +
    `(${alertDays} with alerts). Busiest day: ${busiest.day}, ${alerts(busiest.on)} with anticipation on, ${busiest.off} off.`
  );
}

/**
 * Alerts per day of a backtest, anticipation on (bars) and off (a dashed
 * step line with square markers), with the figures in words and, for a screen
 * reader or a printout, the days with alerts as a table.
 */
export function BacktestVolumeChart({ days }: { days: Day[] }) {
  const points = useMemo(() => pointsOf(days), [days]);
  const max = Math.max(1, ...days.map((d) => d.on));
  const draw = useCallback(
    (Plot: PlotModule, width: number) =>
      Plot.plot({
        width,
        height: Math.round(Math.min(300, Math.max(200, width * 0.38))),
        marginLeft: 40,
        marginRight: 14,
        marginBottom: 36,
        style: { fontSize: '12px' },
        x: { type: 'utc', label: 'Day (UTC) →', labelAnchor: 'right', labelArrow: 'none' },
        y: { domain: [0, max], label: '↑ Alerts per day', labelArrow: 'none', grid: true, ticks: Math.min(5, max) },
        marks: [
          // On is never below off (the same alerts, plus the outlook alerts): its bars stand behind off's line and markers.
          Plot.rectY(
            points.filter((p) => p.mode === 'on' && p.alerts > 0),
            { x1: 'date', x2: (p: Point) => new Date(p.date.getTime() + DAY_MS), y: 'alerts', fill: ON_FILL, stroke: ON, inset: 0.5, className: 'bt-on' },
          ),
          Plot.lineY(
            points.filter((p) => p.mode === 'off'),
            { x: 'date', y: 'alerts', curve: 'step-after', stroke: OFF, strokeWidth: 2, strokeDasharray: '6 4', className: 'bt-off' },
          ),
          Plot.dot(
            points.filter((p) => p.mode === 'off' && p.alerts > 0),
            {
              x: (p: Point) => new Date(p.date.getTime() + DAY_MS / 2),
              y: 'alerts',
              symbol: 'square',
              r: 4,
              fill: 'white',
              stroke: OFF,
              strokeWidth: 1.5,
              className: 'bt-off-dots',
            },
          ),
          Plot.ruleY([0]),
        ],
      }),
    [points, max],
  );
  const summary = describeVolume(days);
  const busy = days.filter((d) => d.on > 0 || d.off > 0);
  return (
    <figure class="backtest-chart">
      <ul class="chart-legend">
        <li>
          <svg width="28" height="14" aria-hidden="true">
            <rect x="4" y="1" width="20" height="12" fill={ON_FILL} stroke={ON} />
          </svg>
          Anticipation on: bars
        </li>
        <li>
          <svg width="28" height="14" aria-hidden="true">
            <line x1="1" y1="7" x2="27" y2="7" stroke={OFF} stroke-width="2" stroke-dasharray="6 4" />
            <rect x="10" y="3" width="8" height="8" fill="none" stroke={OFF} stroke-width="1.5" />
          </svg>
          Anticipation off: dashed line, square markers (within the bars: the alerts that go out either way)
        </li>
      </ul>
      <PlotChart class="backtest-volume" label={`Alerts per day, anticipation on and off. ${summary}`} draw={draw} />
      <figcaption class="chart-caption">{summary}</figcaption>
      <details class="chart-data">
        <summary>Alerts per day, as a table</summary>
        {busy.length === 0 ? (
          <p>No day had an alert.</p>
        ) : (
          <DataTable
            label="Alerts per day"
            class="backtest-days"
            columns={['Day (UTC)', { label: 'Anticipation on', num: true }, { label: 'Anticipation off', num: true }]}
          >
            {busy.map((d) => (
              <tr key={d.day} data-day={d.day}>
                <th scope="row">{d.day}</th>
                <td class="num">{d.on}</td>
                <td class="num">{d.off}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </details>
    </figure>
  );
}
