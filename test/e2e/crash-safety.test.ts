/**
 * Crash safety: label through web mode with the server in a child process, SIGKILL it mid-batch, restart on the same
 * database: every label the UI saw acknowledged is there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService } from '../../core/api/service.js';
import { hasChromium, launchBrowser, NO_CHROMIUM_REASON } from './browser.js';
import { buildRenderer, paintedCandid, pressOnCard, sampleNight, truthKey, waitProgress, waitProgressChange } from './helpers.js';
import { api, startChild, type Child } from './server-child.js';

if (!hasChromium) console.warn(NO_CHROMIUM_REASON);

describe.skipIf(!hasChromium)('crash safety (web mode, SIGKILL mid-batch)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vra-crash-'));
  const db = join(tmp, 'vra.sqlite');
  const home = join(tmp, 'home');
  let ui: string;
  const children: Child[] = [];

  beforeAll(async () => {
    ui = buildRenderer();
    const { file } = await sampleNight();
    // Ingest before the child starts (the point here is labelling, not ingest).
    const svc = openService({ dbPath: db, homeDir: home });
    const { jobId } = await svc.handlers['data.ingest']({ paths: [file] });
    for (;;) {
      const j = await svc.handlers['jobs.get']({ id: jobId });
      if (j.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await svc.close();
  });

  afterAll(() => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps every acknowledged label', async () => {
    const { truth } = await sampleNight();
    const first = await startChild(db, home, ui);
    children.push(first);
    const browser = await launchBrowser();
    const acked = new Map<string, string>();
    try {
      const page = await browser.context.newPage();
      await page.goto(first.url);
      await waitProgress(page, 0, 30, 60_000);
      const keyToLabel: Record<string, string> = { r: 'real', x: 'extragal', g: 'gal', a: 'agn', b: 'bogus', v: 'varstar' };
      let text = '0 / 30';
      for (let i = 0; i < 12; i++) {
        const candid = await paintedCandid(page);
        const key = truthKey(truth.get(candid));
        await pressOnCard(page, key);
        text = await waitProgressChange(page, text);
        acked.set(candid, keyToLabel[key]);
      }
      // One more key press that may or may not be acknowledged when the server dies.
      await page.keyboard.press('g');
      first.proc.kill('SIGKILL');
      await new Promise((r) => first.proc.once('exit', r));
    } finally {
      await browser.close();
    }

    const second = await startChild(db, home, ui);
    children.push(second);
    const state = await api<{ batch: { candid: string; label: string | null }[]; round: number }>(second, 'loop.state', {});
    expect(state.round).toBe(0);
    const labels = new Map(state.batch.map((b) => [b.candid, b.label]));
    for (const [candid, label] of acked) expect(labels.get(candid)).toBe(label);
    const csv = await api<{ csv: string; rows: number }>(second, 'labels.exportCsv', { format: 'seed' });
    expect(csv.rows).toBeGreaterThanOrEqual(acked.size);
    expect(csv.rows).toBeLessThanOrEqual(acked.size + 1);
    second.proc.kill('SIGTERM');
  });
});
