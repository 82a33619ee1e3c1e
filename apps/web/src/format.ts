/** Numbers as people read them; every figure is text, never a colour alone. */
const money = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export const fmtMoney = (v: number) => money.format(Math.round(v));
export const fmtCompact = (v: number) => compact.format(v);
export const fmtPct = (v: number) => `${(Math.round(v * 1000) / 10).toLocaleString('en')} %`;
export const fmtShare = (v: number) => `${Math.round(v * 100)} %`;

export function fmtDays(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const r = Math.round(v * 10) / 10;
  return `${r.toLocaleString('en')} ${r === 1 ? 'day' : 'days'}`;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

/** A level word for a 0..1 value, so severity reads without colour. */
export function level(v: number): 'low' | 'medium' | 'high' | 'severe' {
  if (v >= 0.75) return 'severe';
  if (v >= 0.5) return 'high';
  if (v >= 0.2) return 'medium';
  return 'low';
}
