/** The light curve: uPlot scatter with error bars, upper-limit triangles and the current alert ringed. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { BAND_COLOURS, type LcSeries } from '../lib/lightcurve.js';

const HEIGHT = 260;

export function LightCurve({ series }: { series: LcSeries }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The draw hook and the y range read the series shown now (uPlot keeps one instance across cards).
  const current = useRef(series);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const noPath = () => null;
    const u = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
        scales: {
          x: { time: false, range: (_u, min, max) => padRange(min, max, 0.5) },
          y: { dir: -1, range: () => current.current.yRange },
        },
        axes: [
          { label: 'days since first detection', size: 36, labelSize: 18, grid: { stroke: '#eee' } },
          { label: 'magnitude', size: 48, labelSize: 18, grid: { stroke: '#eee' } },
        ],
        series: [
          {},
          { label: 'g', stroke: BAND_COLOURS[1], paths: noPath, points: { show: false } },
          { label: 'r', stroke: BAND_COLOURS[2], paths: noPath, points: { show: false } },
          { label: 'g limit', stroke: BAND_COLOURS[1], paths: noPath, points: { show: false } },
          { label: 'r limit', stroke: BAND_COLOURS[2], paths: noPath, points: { show: false } },
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
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    current.current = series;
    plot.current?.setData(toData(series), true);
  }, [series]);

  return <div className="lightcurve" ref={host} data-testid="lightcurve" />;
}

function toData(s: LcSeries): uPlot.AlignedData {
  return [s.x, s.det[1], s.det[2], s.ul[1], s.ul[2]];
}

function padRange(min: number | null, max: number | null, pad: number): [number, number] {
  if (min === null || max === null) return [-1, 1];
  const span = max - min;
  const p = Math.max(pad, span * 0.05);
  return [min - p, max + p];
}

function drawMarkers(u: uPlot, s: LcSeries): void {
  const ctx = u.ctx;
  const dpr = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  const r = 3.5 * dpr;
  for (const fid of [1, 2] as const) {
    const colour = BAND_COLOURS[fid];
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 1.2 * dpr;
    for (let i = 0; i < s.x.length; i++) {
      const cx = u.valToPos(s.x[i], 'x', true);
      const mag = s.det[fid][i];
      if (mag !== null) {
        const err = s.err[fid][i];
        if (err !== null && err > 0) {
          const y1 = u.valToPos(mag - err, 'y', true);
          const y2 = u.valToPos(mag + err, 'y', true);
          ctx.beginPath();
          ctx.moveTo(cx, y1);
          ctx.lineTo(cx, y2);
          ctx.moveTo(cx - r * 0.8, y1);
          ctx.lineTo(cx + r * 0.8, y1);
          ctx.moveTo(cx - r * 0.8, y2);
          ctx.lineTo(cx + r * 0.8, y2);
          ctx.stroke();
        }
        const cy = u.valToPos(mag, 'y', true);
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        if (s.negative[i]) {
          ctx.fillStyle = '#fff';
          ctx.fill();
          ctx.fillStyle = colour;
          ctx.stroke();
        } else ctx.fill();
      }
      const lim = s.ul[fid][i];
      if (lim !== null) {
        // Downward triangle: "fainter than this".
        const cy = u.valToPos(lim, 'y', true);
        ctx.globalAlpha = 0.55;
        ctx.beginPath();
        ctx.moveTo(cx - r, cy - r * 0.6);
        ctx.lineTo(cx + r, cy - r * 0.6);
        ctx.lineTo(cx, cy + r);
        ctx.closePath();
        ctx.fill();
        ctx.globalAlpha = 1;
      }
    }
  }
  if (s.current && s.current.mag !== null) {
    const cx = u.valToPos(s.current.x, 'x', true);
    const cy = u.valToPos(s.current.mag, 'y', true);
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 1.5 * dpr;
    ctx.beginPath();
    ctx.arc(cx, cy, r * 2.2, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.strokeStyle = '#888';
    ctx.lineWidth = 1 * dpr;
    ctx.beginPath();
    ctx.moveTo(cx, top);
    ctx.lineTo(cx, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

export function LightCurveLegend() {
  return (
    <div className="lc-legend">
      <span><i className="dot g" /> g</span>
      <span><i className="dot r" /> r</span>
      <span><i className="tri" /> upper limit</span>
      <span><i className="ring" /> this alert</span>
    </div>
  );
}
