/**
 * Report figures: Vega-Lite specs rendered headless to SVG (vega View with the 'none' renderer) and to PNG (resvg).
 * vega / vega-lite / resvg are loaded lazily: they are only needed when a report is written.
 */

export interface CurveDatum {
  variant: string;
  /** How the held-out set was drawn: dashed lines for the optimistic object split when both are shown. */
  test?: string;
  metric: string;
  labels: number;
  mean: number;
  std: number;
}

type Spec = Record<string, unknown>;

/** Learning curves: one panel per metric, one line per variant, a band of ± 1 std across seeds. */
export function learningCurveSpec(title: string, rows: readonly CurveDatum[], metricOrder: readonly string[]): Spec {
  const values = rows
    .filter((r) => Number.isFinite(r.mean))
    .map((r) => ({ ...r, lo: r.mean - (Number.isFinite(r.std) ? r.std : 0), hi: r.mean + (Number.isFinite(r.std) ? r.std : 0) }));
  const x = { field: 'labels', type: 'quantitative', title: 'labels' };
  const color = { field: 'variant', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 3, labelLimit: 0 } };
  const tests = new Set(rows.map((r) => r.test ?? ''));
  // The headline (a night or file left out) solid, the object split dashed.
  const domain = [...tests].sort((a, b) => Number(a === 'by object') - Number(b === 'by object') || a.localeCompare(b));
  const dash =
    tests.size > 1
      ? { strokeDash: { field: 'test', type: 'nominal', title: null, scale: { domain }, legend: { orient: 'bottom', symbolType: 'stroke' } } }
      : {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, anchor: 'start', fontSize: 13 },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: [...metricOrder] } },
    spec: {
      width: 190,
      height: 150,
      layer: [
        {
          mark: { type: 'line', point: { size: 12 }, strokeWidth: 1.5 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', title: 'held-out metric (mean ± std over seeds)', scale: { zero: false } },
            color,
            ...dash,
          },
        },
        // The band after the line: the merged legend takes its symbols from the first layer.
        {
          mark: { type: 'area', opacity: 0.08 },
          encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { zero: false } }, y2: { field: 'hi' }, color },
        },
      ],
    },
    resolve: { scale: { y: 'shared' } },
    config: { view: { stroke: '#ccc' }, font: 'DejaVu Sans' },
  };
}

/** Horizontal bars of mean ± std permutation importance. */
export function importanceSpec(title: string, rows: readonly { feature: string; mean: number; std: number }[]): Spec {
  const values = rows.map((r) => ({ ...r, lo: r.mean - r.std, hi: r.mean + r.std }));
  const y = { field: 'feature', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 300 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, anchor: 'start', fontSize: 13 },
    data: { values },
    width: 360,
    height: { step: 14 },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' }, encoding: { y, x: { field: 'mean', type: 'quantitative', title: 'ROC AUC drop when shuffled' } } },
      { mark: { type: 'rule' }, encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
    ],
    config: { font: 'DejaVu Sans' },
  };
}

export async function specToSvg(spec: Spec): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  // Errors only: vega-lite warns about harmless sort merges of the faceted layers.
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0], { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function svgToPng(svg: string, zoom = 1.25): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: zoom }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } })
    .render()
    .asPng();
}
