/** A small uPlot line chart (metrics vs round). */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LineSeries {
  label: string;
  values: (number | null)[];
  colour: string;
  dash?: number[];
}

export function LinePlot({ title, x, xLabel, series, height = 180, yRange }: {
  title: string;
  x: number[];
  xLabel: string;
  series: LineSeries[];
  height?: number;
  /** Fixed y range for bounded metrics (0..1); widened when a value falls outside. */
  yRange?: [number, number];
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const u = new uPlot(
      {
        title,
        width: Math.max(260, el.clientWidth),
        height,
        legend: { live: false },
        scales: {
          // One round so far: a window of ±1 around it rather than uPlot's default 0..100.
          x: { time: false, range: () => xRange(x) },
          y: yRange ? { range: (_u, min, max) => [Math.min(yRange[0], min), Math.max(yRange[1], max)] } : {},
        },
        // Rounds and label counts are whole numbers: no 0.5 ticks.
        axes: [{ label: xLabel, size: 34, labelSize: 16, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { size: 50 }],
        series: [
          { label: xLabel },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: 2,
            dash: s.dash,
            points: { show: true, size: 6, fill: s.colour },
            spanGaps: true,
          })),
        ],
      },
      [x, ...series.map((s) => s.values)],
      el,
    );
    const ro = new ResizeObserver(() => {
      const w = Math.max(260, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [title, x, xLabel, series, height, yRange]);
  return <div className="lineplot" ref={host} data-testid="metric-plot" />;
}

/** The data's own span, ±1 for a single round (uPlot would otherwise show 0..100). */
function xRange(x: number[]): [number, number] {
  if (x.length === 0) return [0, 1];
  const lo = Math.min(...x);
  const hi = Math.max(...x);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}
