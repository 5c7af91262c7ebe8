/**
 * The light curve: uPlot scatter with error bars, g circles and r squares, hollow markers for negative differences,
 * upper-limit triangles, the current alert ringed, UTC dates on the axis and a hover readout.
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { jdTick, MARKER_COLOURS, nearestPoint, pointAt, readoutText, stepIndex, type LcPointInfo } from '../lib/lc-readout.js';
import { drawCurrentMark, drawErrorBar, markerPath } from '../lib/plot-canvas.js';
import { padRange } from '../lib/plot-marks.js';
import type { LcSeries } from '../lib/lightcurve.js';

const HEIGHT = 260;

export function LightCurve({ series }: { series: LcSeries }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The draw hook and the y range read the series shown now (uPlot keeps one instance across cards).
  const current = useRef(series);
  // The hovered point, with the series it belongs to: a new card's series hides the old readout.
  // `i` is the point's index when it was reached by keyboard (← / → step from there).
  const [hover, setHover] = useState<{ of: LcSeries; point: LcPointInfo | null; i?: number } | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const noPath = () => null;
    const u = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        // Room on the right for the last date tick, which is centred on its position.
        padding: [12, 36, 0, 0],
        cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
        scales: {
          // From the series itself: uPlot widens a single point's range to ±100 before asking.
          x: { time: false, range: () => padRange(current.current.x[0] ?? null, current.current.x[current.current.x.length - 1] ?? null, 0.5) },
          y: { dir: -1, range: () => current.current.yRange },
        },
        axes: [
          {
            label: 'date (UTC)',
            size: 36,
            labelSize: 18,
            space: 80,
            grid: { stroke: '#eee' },
            // x is days since the first detection; the ticks say which day it was.
            values: (u, splits) => splits.map((v) => jdTick(current.current.t0 + v, (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0))),
          },
          { label: 'magnitude', size: 48, labelSize: 18, grid: { stroke: '#eee' } },
        ],
        series: [
          {},
          { label: 'g', stroke: MARKER_COLOURS[1], paths: noPath, points: { show: false } },
          { label: 'r', stroke: MARKER_COLOURS[2], paths: noPath, points: { show: false } },
          { label: 'g limit', stroke: MARKER_COLOURS[1], paths: noPath, points: { show: false } },
          { label: 'r limit', stroke: MARKER_COLOURS[2], paths: noPath, points: { show: false } },
        ],
        hooks: { draw: [(uu) => drawMarkers(uu, current.current)] },
      },
      toData(current.current),
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(300, el.clientWidth);
      if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: HEIGHT });
    });
    ro.observe(el);
    // The readout follows the nearest point (uPlot's own cursor snaps to x only, across both bands).
    const over = u.over;
    const move = (e: MouseEvent) => {
      const r = over.getBoundingClientRect();
      const toPx = (x: number, mag: number) => ({ x: u.valToPos(x, 'x'), y: u.valToPos(mag, 'y') });
      const s = current.current;
      setHover({ of: s, point: nearestPoint(s, { x: e.clientX - r.left, y: e.clientY - r.top }, toPx) });
    };
    const leave = () => setHover(null);
    over.addEventListener('mousemove', move);
    over.addEventListener('mouseleave', leave);
    return () => {
      over.removeEventListener('mousemove', move);
      over.removeEventListener('mouseleave', leave);
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    current.current = series;
    plot.current?.setData(toData(series), true);
  }, [series]);

  // Keyboard: with the plot focused, ← / → step through the points in time (and do not change the card).
  const step = (e: React.KeyboardEvent) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    const from = hover?.of === series ? hover.i : undefined;
    const i = stepIndex(series.x.length, from, d, (k) => pointAt(series, k) !== null);
    const point = i === null ? null : pointAt(series, i);
    if (i !== null && point) setHover({ of: series, point, i });
  };

  return (
    <>
      <div
        className="lightcurve"
        ref={host}
        data-testid="lightcurve"
        tabIndex={0}
        role="img"
        aria-label="Light curve: ← and → step through the points"
        aria-describedby="lc-readout"
        onKeyDown={step}
      />
      <div className="lc-readout small" id="lc-readout" data-testid="lc-readout" aria-live="polite">
        {hover?.of === series && hover.point ? readoutText(hover.point) : <span className="muted">Point at a marker (or focus the plot and press ← / →) for its date, magnitude and band.</span>}
      </div>
    </>
  );
}

function toData(s: LcSeries): uPlot.AlignedData {
  return [s.x, s.det[1], s.det[2], s.ul[1], s.ul[2]];
}

/** Downward triangle, "fainter than this": opaque outline in the band's colour (≥ 3:1 on white). */
function drawLimit(ctx: CanvasRenderingContext2D, fid: 1 | 2, cx: number, cy: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(cx - r, cy - r * 0.6);
  ctx.lineTo(cx + r, cy - r * 0.6);
  ctx.lineTo(cx, cy + r);
  ctx.closePath();
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.stroke();
  // r limits get a bar across the top, so the band is told by shape here too.
  if (fid === 2) {
    ctx.beginPath();
    ctx.moveTo(cx - r, cy - r);
    ctx.lineTo(cx + r, cy - r);
    ctx.stroke();
  }
}

function drawMarkers(u: uPlot, s: LcSeries): void {
  const ctx = u.ctx;
  const dpr = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  // The live time axis (days since the first detection), for the browser test: its ticks are drawn on the canvas.
  u.root.parentElement?.setAttribute('data-x-range', `${u.scales.x.min?.toFixed(4)} ${u.scales.x.max?.toFixed(4)}`);
  const r = 3.5 * dpr;
  for (const fid of [1, 2] as const) {
    const colour = MARKER_COLOURS[fid];
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.4 * dpr;
    for (let i = 0; i < s.x.length; i++) {
      const cx = u.valToPos(s.x[i], 'x', true);
      const mag = s.det[fid][i];
      if (mag !== null) {
        const err = s.err[fid][i];
        if (err !== null && err > 0) drawErrorBar(ctx, u, cx, mag, err, r);
        markerPath(ctx, fid === 1 ? 'circle' : 'square', cx, u.valToPos(mag, 'y', true), r);
        ctx.fillStyle = s.negative[i] ? '#fff' : colour;
        ctx.fill();
        ctx.stroke();
      }
      const lim = s.ul[fid][i];
      if (lim !== null) drawLimit(ctx, fid, cx, u.valToPos(lim, 'y', true), r);
    }
  }
  if (s.current && s.current.mag !== null) {
    drawCurrentMark(ctx, u, u.valToPos(s.current.x, 'x', true), u.valToPos(s.current.mag, 'y', true), r * 2.2, dpr);
  }
  ctx.restore();
}

export function LightCurveLegend() {
  return (
    <div className="lc-legend" data-testid="lc-legend">
      <span><i className="dot g" /> g</span>
      <span><i className="sq r" /> r</span>
      <span><i className="dot hollow" /> negative difference</span>
      <span><i className="tri" /> upper limit</span>
      <span><i className="ring" /> this alert</span>
    </div>
  );
}
