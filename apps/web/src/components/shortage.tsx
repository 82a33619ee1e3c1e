import { fmtDays, fmtMoney } from '../format';
import { type Column, Level } from './ui';

/** How short a SKU runs, as the tables list it. */
interface Shortage {
  revenueAtRisk: number;
  x: number;
  days: number;
  onsetDays: number;
}

/** The headings of the shortage cells, in their order. */
export const SHORTAGE_COLUMNS: Column[] = [
  { label: 'Revenue at risk', num: true },
  'Shortage',
  { label: 'For', num: true },
  { label: 'Time to survive', num: true },
];

/** A shortage's cells of a table row: revenue at risk, the loss, for how long, and the time to survive. */
export function ShortageCells({ shortage: s }: { shortage: Shortage }) {
  return (
    <>
      <td class="num">{fmtMoney(s.revenueAtRisk)}</td>
      <td>
        <Level value={s.x} />
      </td>
      <td class="num">{fmtDays(s.days)}</td>
      <td class="num">{fmtDays(s.onsetDays)}</td>
    </>
  );
}
