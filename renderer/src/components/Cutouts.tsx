/** The three stamps (science, template, difference), zscale-scaled grey, drawn 1:1 and enlarged by CSS. */
import { useEffect, useRef } from 'react';
import type { DecodedCutout } from '../lib/fits.js';

export type CutoutSet = Record<'science' | 'template' | 'difference', DecodedCutout | { error: string } | null>;

export function Cutouts({ cutouts }: { cutouts: CutoutSet }) {
  return (
    <div className="cutouts">
      {(['science', 'template', 'difference'] as const).map((k) => (
        <figure key={k}>
          <Stamp value={cutouts[k]} name={k} />
          <figcaption>{k}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function Stamp({ value, name }: { value: CutoutSet['science']; name: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c || !value || 'error' in value) return;
    c.width = value.width;
    c.height = value.height;
    c.getContext('2d')?.putImageData(new ImageData(value.rgba, value.width, value.height), 0, 0);
  }, [value]);
  if (!value) return <div className="stamp empty">no {name} cutout</div>;
  if ('error' in value) return <div className="stamp empty" title={value.error}>unreadable</div>;
  return <canvas ref={ref} className="stamp" data-testid={`cutout-${name}`} aria-label={`${name} cutout`} />;
}
