/**
 * Marker shapes and axis padding shared by the light-curve plots (ZTF and LSST), pure: a shape is a polygon or a
 * circle, so the canvas (plot-canvas.ts) and the SVG legend draw the same marks.
 */
export const MARKER_SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down', 'star'] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];

type Vertex = [number, number];

/** A shape as a circle or a polygon centred on (cx, cy), about 2r across. */
export function markerGeometry(shape: MarkerShape, cx: number, cy: number, r: number): { circle: number } | { polygon: Vertex[] } {
  const at = (pts: Vertex[]): { polygon: Vertex[] } => ({ polygon: pts.map(([x, y]) => [cx + x * r, cy + y * r] as Vertex) });
  switch (shape) {
    case 'circle':
      return { circle: r };
    case 'square':
      return at([[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]]);
    case 'triangle-up':
      return at([[0, -1.15], [1.05, 0.75], [-1.05, 0.75]]);
    case 'triangle-down':
      return at([[0, 1.15], [1.05, -0.75], [-1.05, -0.75]]);
    case 'diamond':
      return at([[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]]);
    case 'star': {
      const pts: Vertex[] = [];
      for (let k = 0; k < 10; k++) {
        const a = -Math.PI / 2 + (k * Math.PI) / 5;
        const rr = k % 2 ? 0.55 : 1.3;
        pts.push([rr * Math.cos(a), rr * Math.sin(a)]);
      }
      return at(pts);
    }
  }
}

/** SVG path data of the same outline (for legends). */
export function markerSvgPath(shape: MarkerShape, cx: number, cy: number, r: number): string {
  const g = markerGeometry(shape, cx, cy, r);
  if ('circle' in g) return `M ${cx - r} ${cy} a ${r} ${r} 0 1 0 ${2 * r} 0 a ${r} ${r} 0 1 0 ${-2 * r} 0 Z`;
  return g.polygon.map(([x, y], i) => `${i ? 'L' : 'M'} ${x.toFixed(2)} ${y.toFixed(2)}`).join(' ') + ' Z';
}

/** An axis range around [min, max] padded by 5 % of the span, at least `pad`. */
export function padRange(min: number | null, max: number | null, pad: number): [number, number] {
  if (min === null || max === null) return [-1, 1];
  const span = max - min;
  const p = Math.max(pad, span * 0.05);
  return [min - p, max + p];
}
