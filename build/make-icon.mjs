#!/usr/bin/env node
// Renders build/icon.svg to build/icon.png (512×512), the icon electron-builder turns into .icns/.ico/Linux sizes.
// Run after editing the SVG: node build/make-icon.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const dir = dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
const png = new Resvg(svg, { fitTo: { mode: 'width', value: 512 }, background: 'rgba(0,0,0,0)' }).render().asPng();
writeFileSync(join(dir, 'icon.png'), png);
console.log(`build/icon.png: ${png.length} bytes`);
