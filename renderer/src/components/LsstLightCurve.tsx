/**
 * An LSST light curve: uPlot scatter of difference flux (nJy) against time, one colour and marker shape per band,
 * error bars, a zero line (negative differences fall below it), forced photometry hollow, 7.x limits as arrows, the
 * card's own source ringed; a toggle to AB magnitudes (flux > 0 only) and a hover / keyboard readout.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LsstCard } from '@core/api/types.js';
import { nearestIndex, stepIndex } from '../lib/lc-readout.js';
import { LSST_BAND_STYLE, LSST_BANDS, type LsstBand } from '../lib/lsst-bands.js';
import { LIMIT_SIGMA, leftOutText, lsstPlot, lsstReadoutText, mjdTick, type LsstPlot, type LsstPlotMode } from '../lib/lsst-lightcurve.js';
import { drawCurrentMark, drawErrorBar, markerPath } from '../lib/plot-canvas.js';
import { markerSvgPath, type MarkerShape } from '../lib/plot-marks.js';

const HEIGHT = 260;
const ZERO_LINE = '#444';

export function LsstLightCurve({ lsst, mjd }: { lsst: LsstCard; mjd: number }) {
  const [mode, setMode] = useState<LsstPlotMode>('flux');
  const plot = useMemo(
    () => lsstPlot(lsst.lightcurve, mode, { mjd, band: lsst.band, flux: lsst.psfFlux, fluxErr: lsst.psfFluxErr }),
    [lsst, mode, mjd],
  );
  const note = mode === 'mag' ? leftOutText(plot) : '';
  return (
    <div className="panel" data-testid="lsst-lc-panel">
      <div className="panel-title lsst-lc-title">
        Light curve ({mode === 'flux' ? 'difference flux, nJy' : 'AB magnitude'})
        <button
          className="linkish"
          data-testid="lsst-mag-toggle"
          aria-pressed={mode === 'mag'}
          onClick={() => setMode((m) => (m === 'flux' ? 'mag' : 'flux'))}
        >
          {mode === 'flux' ? 'show magnitudes' : 'show flux'}
        </button>
      </div>
      <LsstLegend bands={plot.bands} mode={mode} />
      <LsstPlotView plot={plot} />
      {note && (
        <p className="muted small" data-testid="lsst-left-out">
          {note}
        </p>
      )}
    </div>
  );
}

function LsstPlotView({ plot }: { plot: LsstPlot }) {
  const host = useRef<HTMLDivElement>(null);
  const u = useRef<uPlot | null>(null);
  // The draw hook reads the plot shown now (one uPlot instance per mode, across cards).
  const current = useRef(plot);
  const [hover, setHover] = useState<{ of: LsstPlot; i: number } | null>(null);

  // Declared first: on a mode change the new instance below must be built from the new plot (effects run in order).
  useEffect(() => {
    current.current = plot;
    u.current?.setData(toData(plot), true);
  }, [plot]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const made = makePlot(el, current, (i) => setHover(i === null ? null : { of: current.current, i }));
    u.current = made.plot;
    return () => {
      made.dispose();
      u.current = null;
    };
    // A mode change flips the y direction, which uPlot fixes at creation: a new instance then.
  }, [plot.mode]);

  // Keyboard: with the plot focused, ← / → step through the points in time (and do not change the card).
  const step = (e: React.KeyboardEvent) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    const i = stepIndex(plot.points.length, hover?.of === plot ? hover.i : undefined, d, () => true);
    if (i !== null) setHover({ of: plot, i });
  };

  const shown = hover?.of === plot ? plot.points[hover.i] : undefined;
  return (
    <>
      <div
        className="lightcurve"
        ref={host}
        data-testid="lsst-lightcurve"
        data-mode={plot.mode}
        data-bands={plot.bands.join(' ')}
        tabIndex={0}
        role="img"
        aria-label="LSST light curve: ← and → step through the points"
        aria-describedby="lsst-lc-readout"
        onKeyDown={step}
      />
      <div className="lc-readout small" id="lsst-lc-readout" data-testid="lsst-lc-readout" aria-live="polite">
        {shown ? lsstReadoutText(shown, plot.mode) : <span className="muted">Point at a marker (or focus the plot and press ← / →) for its date, {plot.mode === 'flux' ? 'flux' : 'magnitude'} and band.</span>}
      </div>
    </>
  );
}

/** The uPlot instance, its resize observer and the nearest-point hover; `dispose` undoes all three. */
function makePlot(el: HTMLDivElement, current: { current: LsstPlot }, onHover: (i: number | null) => void) {
  const flux = current.current.mode === 'flux';
  const noPath = () => null;
  const span = () => {
    const p = current.current.points;
    return p.length ? p[p.length - 1].mjd - p[0].mjd : 0;
  };
  const u = new uPlot(
    {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      padding: [12, 40, 0, 0],
      cursor: { show: true, points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: () => current.current.xRange },
        y: { dir: flux ? 1 : -1, range: () => current.current.yRange },
      },
      axes: [
        {
          label: 'date (UTC)',
          size: 36,
          labelSize: 18,
          space: 90,
          grid: { stroke: '#eee' },
          values: (_u, splits) => splits.map((v) => mjdTick(v, span())),
        },
        { label: flux ? 'flux (nJy)' : 'AB magnitude', size: 56, labelSize: 18, grid: { stroke: '#eee' } },
      ],
      series: [{}, ...LSST_BANDS.map((b) => ({ label: b, stroke: LSST_BAND_STYLE[b].colour, paths: noPath, points: { show: false } }))],
      hooks: { draw: [(uu) => drawPlot(uu, current.current)] },
    },
    toData(current.current),
    el,
  );
  // What the live instance plots, for the browser test (the axis labels are drawn on the canvas, not in the DOM).
  el.setAttribute('data-y-axis', `${String(u.axes[1].label)}, dir ${u.scales.y.dir}`);
  const ro = new ResizeObserver(() => {
    const w = Math.max(300, el.clientWidth);
    if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: HEIGHT });
  });
  ro.observe(el);
  const over = u.over;
  const move = (e: MouseEvent) => {
    const r = over.getBoundingClientRect();
    const pts = current.current.points;
    const posOf = (i: number) => ({ x: u.valToPos(pts[i].mjd, 'x'), y: u.valToPos(pts[i].y, 'y') });
    onHover(nearestIndex(pts.length, posOf, { x: e.clientX - r.left, y: e.clientY - r.top }));
  };
  const leave = () => onHover(null);
  over.addEventListener('mousemove', move);
  over.addEventListener('mouseleave', leave);
  return {
    plot: u,
    dispose: () => {
      over.removeEventListener('mousemove', move);
      over.removeEventListener('mouseleave', leave);
      ro.disconnect();
      u.destroy();
    },
  };
}

/** x and one column per band (null where the point is of another band); the marks are drawn by the hook. */
function toData(p: LsstPlot): uPlot.AlignedData {
  const x = p.points.map((q) => q.mjd);
  return [x, ...LSST_BANDS.map((b) => p.points.map((q) => (q.band === b ? q.y : null)))];
}

/** "Below this": a bar at the level and an arrow down from it (down is fainter in both modes). */
function drawLimit(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number): void {
  const len = r * 3.2;
  ctx.beginPath();
  ctx.moveTo(cx - r, cy);
  ctx.lineTo(cx + r, cy);
  ctx.moveTo(cx, cy);
  ctx.lineTo(cx, cy + len);
  ctx.moveTo(cx - r * 0.7, cy + len - r * 0.9);
  ctx.lineTo(cx, cy + len);
  ctx.lineTo(cx + r * 0.7, cy + len - r * 0.9);
  ctx.stroke();
}

function drawZeroLine(u: uPlot, dpr: number): void {
  const ctx = u.ctx;
  const y = u.valToPos(0, 'y', true);
  const { left, width } = u.bbox;
  ctx.save();
  ctx.strokeStyle = ZERO_LINE;
  ctx.lineWidth = 1 * dpr;
  ctx.setLineDash([5 * dpr, 4 * dpr]);
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(left + width, y);
  ctx.stroke();
  ctx.restore();
  // Where the zero line is on the canvas, for the browser test that checks negative points fall below it.
  u.root.parentElement?.setAttribute('data-zero-y', String(Math.round(y)));
}

function drawCurrent(u: uPlot, p: LsstPlot, r: number, dpr: number): void {
  if (p.current === null) return;
  const q = p.points[p.current];
  drawCurrentMark(u.ctx, u, u.valToPos(q.mjd, 'x', true), u.valToPos(q.y, 'y', true), r * 2.4, dpr);
}

function drawPlot(u: uPlot, p: LsstPlot): void {
  const ctx = u.ctx;
  const dpr = uPlot.pxRatio;
  const { left, top, width, height } = u.bbox;
  const host = u.root.parentElement;
  // The live time axis, for the browser test (its ticks are drawn on the canvas).
  host?.setAttribute('data-x-range', `${u.scales.x.min?.toFixed(4)} ${u.scales.x.max?.toFixed(4)}`);
  if (p.mode === 'flux') drawZeroLine(u, dpr);
  else u.root.parentElement?.removeAttribute('data-zero-y');
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  const r = 3.5 * dpr;
  for (const q of p.points) {
    const style = LSST_BAND_STYLE[q.band];
    const cx = u.valToPos(q.mjd, 'x', true);
    const cy = u.valToPos(q.y, 'y', true);
    ctx.strokeStyle = style.colour;
    ctx.lineWidth = 1.4 * dpr;
    if (q.kind === 'limit') {
      drawLimit(ctx, cx, cy, r);
      continue;
    }
    if (q.err !== null && q.err > 0) drawErrorBar(ctx, u, cx, q.y, q.err, r);
    markerPath(ctx, style.marker, cx, cy, r);
    ctx.fillStyle = q.kind === 'forced' ? '#fff' : style.colour;
    ctx.fill();
    ctx.stroke();
  }
  drawCurrent(u, p, r, dpr);
  ctx.restore();
}

function MarkerIcon({ shape, colour, hollow = false }: { shape: MarkerShape; colour: string; hollow?: boolean }) {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
      <path d={markerSvgPath(shape, 6, 6, 4)} fill={hollow ? '#fff' : colour} stroke={colour} strokeWidth="1.3" />
    </svg>
  );
}

/** The bands present, each with its marker; then what the other marks mean. */
function LsstLegend({ bands, mode }: { bands: LsstBand[]; mode: LsstPlotMode }) {
  return (
    <div className="lc-legend lsst-legend" data-testid="lsst-legend">
      {bands.map((b) => (
        <span key={b} data-testid="lsst-legend-band" data-band={b} data-marker={LSST_BAND_STYLE[b].marker} data-colour={LSST_BAND_STYLE[b].colour}>
          <MarkerIcon shape={LSST_BAND_STYLE[b].marker} colour={LSST_BAND_STYLE[b].colour} /> {b}
        </span>
      ))}
      <span><MarkerIcon shape="circle" colour="#333" hollow /> forced photometry</span>
      <span>
        <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
          <path d="M 2 2 L 10 2 M 6 2 L 6 11 M 3.5 8 L 6 11 L 8.5 8" stroke="#333" strokeWidth="1.3" fill="none" />
        </svg>{' '}
        {LIMIT_SIGMA}σ limit
      </span>
      {mode === 'flux' && (
        <span>
          <svg width="16" height="12" viewBox="0 0 16 12" aria-hidden="true">
            <path d="M 0 6 L 16 6" stroke={ZERO_LINE} strokeWidth="1.3" strokeDasharray="4 3" />
          </svg>{' '}
          zero: below it, negative difference
        </span>
      )}
      <span><i className="ring" /> this alert</span>
    </div>
  );
}
