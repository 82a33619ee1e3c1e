import { useEffect, useRef, useState } from 'preact/hooks';

/** Observable Plot, loaded with the first chart (its own chunk, so pages without charts stay small). */
export type PlotModule = typeof import('@observablehq/plot');

let loading: Promise<PlotModule> | null = null;
const loadPlot = () => (loading ??= import('@observablehq/plot'));

/** Width of a chart before its box is measured, and the narrowest it is drawn. */
const FALLBACK_WIDTH = 640;
const MIN_WIDTH = 260;

/**
 * One chart drawn by Observable Plot at the width of its box (redrawn when
 * the box resizes, so a phone gets a narrow chart rather than a wide one to
 * scroll). The SVG is one image to assistive technology, named by `label`;
 * the figure around it carries the caption and the data as a table.
 *
 * Plot puts a `<style>` element in each SVG; the pages' Content-Security-
 * Policy refuses inline styles, so it is removed before the SVG is shown and
 * styles.css holds the same rules (`.plot-chart svg`).
 */
/** `draw` must keep its identity between renders (useCallback) unless the chart should be drawn again. */
export function PlotChart({ label, draw, class: className }: { label: string; draw: (plot: PlotModule, width: number) => Element; class?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [plot, setPlot] = useState<PlotModule | null>(null);
  const [width, setWidth] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    loadPlot().then(
      (module) => live && setPlot(() => module),
      (error: Error) => live && setFailed(error.message),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setWidth(Math.round(el.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!el || !plot) return;
    const chart = draw(plot, Math.max(MIN_WIDTH, width || FALLBACK_WIDTH));
    const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
    chart.querySelectorAll('style').forEach((s) => s.remove());
    if (svg) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', label);
    }
    el.replaceChildren(chart);
  }, [plot, width, draw, label]);

  // Plot owns the inner box; Preact renders only beside it.
  return (
    <div class={`plot-chart ${className ?? ''}`}>
      <div ref={box} />
      {!plot && !failed && <p class="status">Drawing the chart…</p>}
      {failed && <p class="error-note">The chart could not be drawn ({failed}); the table has the same figures.</p>}
    </div>
  );
}
