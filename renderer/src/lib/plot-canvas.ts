/** Canvas drawing of the marks shared by the light-curve plots (ZTF and LSST). */
import type uPlot from 'uplot';
import { markerGeometry, type MarkerShape } from './plot-marks.js';

/** Begins a path of the marker outline on the canvas (fill and stroke are the caller's). */
export function markerPath(ctx: CanvasRenderingContext2D, shape: MarkerShape, cx: number, cy: number, r: number): void {
  const g = markerGeometry(shape, cx, cy, r);
  ctx.beginPath();
  if ('circle' in g) {
    ctx.arc(cx, cy, g.circle, 0, 2 * Math.PI);
    return;
  }
  g.polygon.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.closePath();
}

/** A vertical error bar with caps, from value − err to value + err on scale 'y'. */
export function drawErrorBar(ctx: CanvasRenderingContext2D, u: uPlot, cx: number, value: number, err: number, r: number): void {
  const y1 = u.valToPos(value - err, 'y', true);
  const y2 = u.valToPos(value + err, 'y', true);
  ctx.beginPath();
  ctx.moveTo(cx, y1);
  ctx.lineTo(cx, y2);
  ctx.moveTo(cx - r * 0.8, y1);
  ctx.lineTo(cx + r * 0.8, y1);
  ctx.moveTo(cx - r * 0.8, y2);
  ctx.lineTo(cx + r * 0.8, y2);
  ctx.stroke();
}

/** The current alert's mark: a ring of `ringR` around its point and a dashed vertical line at its date. */
export function drawCurrentMark(ctx: CanvasRenderingContext2D, u: uPlot, cx: number, cy: number, ringR: number, dpr: number): void {
  ctx.strokeStyle = '#111';
  ctx.lineWidth = 1.5 * dpr;
  ctx.beginPath();
  ctx.arc(cx, cy, ringR, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.setLineDash([3 * dpr, 3 * dpr]);
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1 * dpr;
  ctx.beginPath();
  ctx.moveTo(cx, u.bbox.top);
  ctx.lineTo(cx, u.bbox.top + u.bbox.height);
  ctx.stroke();
}
