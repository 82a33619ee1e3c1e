import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { fmtPct, level } from '../format';

let firstPage = true;

/**
 * The page's heading. When the person moves to another page it takes focus, so
 * keyboard and screen-reader users start there; on the first page load focus
 * stays at the top, where "Skip to content" is the first stop.
 */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="status" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ message }: { message: string }) {
  return (
    <p class="error-note" role="alert">
      <strong>Error:</strong> {message}
    </p>
  );
}

/** A 0..1 value as a word, a number and a bar; the word and the number carry it without colour. */
export function Level({ value, label }: { value: number; label?: string }) {
  const l = level(value);
  return (
    <span class={`level level-${l}`}>
      <span class="level-word">{l}</span> <span class="level-num">{label ?? fmtPct(value)}</span>
    </span>
  );
}

export function Meter({ value, label }: { value: number; label: string }) {
  const pct = Math.max(0, Math.min(1, value)) * 100;
  return (
    <span class="meter" role="img" aria-label={label}>
      <span class="meter-bar" style={{ width: `${pct}%` }} />
      <span class="meter-text">{label}</span>
    </span>
  );
}

/** A table that scrolls sideways on a narrow screen instead of squeezing its columns. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A column heading: its text, `num` for a right-aligned number column, `hidden` for text only screen readers get. */
export type Column = string | { label: string; num?: boolean; hidden?: boolean };

/** A data table in its scrolling region: one header row of column headings, then the rows given. */
export function DataTable({ label, class: className, columns, children }: { label: string; class?: string; columns: Column[]; children: ComponentChildren }) {
  return (
    <TableWrap label={label}>
      <table class={className}>
        <thead>
          <tr>
            {columns.map((column) => {
              const c = typeof column === 'string' ? { label: column } : column;
              return (
                <th key={c.label} scope="col" class={c.num ? 'num' : undefined}>
                  {c.hidden ? <span class="visually-hidden">{c.label}</span> : c.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableWrap>
  );
}

/** While a load runs, says so; when it failed, says why. */
export function LoadState({ state, what }: { state: { loading: boolean; error: string | null }; what: string }) {
  return (
    <>
      {state.loading && <Loading what={what} />}
      {state.error && <ErrorNote message={state.error} />}
    </>
  );
}

/** A note that something went through, announced to screen readers. */
export function OkNote({ children }: { children: ComponentChildren }) {
  return (
    <p class="ok-note" role="status">
      {children}
    </p>
  );
}
