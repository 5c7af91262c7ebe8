import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../core/api/contract.js';
import { ApiError } from '../../core/api/define.js';
import { dispatch, toErrorBody } from '../../core/api/dispatch.js';
import { JobRegistry } from '../../core/api/jobs.js';

describe('dispatch', () => {
  const calls: unknown[] = [];
  const handlers = {
    'labels.set': (input: unknown) => {
      calls.push(input);
      return { ok: true };
    },
  } as unknown as Handlers;

  it('validates input with the contract before calling the handler', async () => {
    await expect(dispatch(handlers, 'labels.set', { candid: '12', label: 'gal' })).resolves.toEqual({ ok: true });
    expect(calls).toEqual([{ candid: '12', label: 'gal' }]);
    await expect(dispatch(handlers, 'labels.set', { candid: '12', label: 'galaxy' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(dispatch(handlers, 'labels.set', { candid: '1.5e18', label: 'gal' })).rejects.toThrow(/candid/);
    await expect(dispatch(handlers, 'labels.set', { candid: '12', label: 'gal', extra: 1 })).rejects.toThrow(
      /labels\.set/,
    );
    expect(calls).toHaveLength(1);
  });

  it('refuses unknown methods, including prototype names', async () => {
    await expect(dispatch(handlers, 'nope', {})).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(dispatch(handlers, 'constructor', {})).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(dispatch(handlers, '__proto__', {})).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('turns errors into a transportable body', () => {
    expect(toErrorBody(new ApiError('busy', 'wait'))).toEqual({ error: { code: 'busy', message: 'wait' } });
    expect(toErrorBody(new Error('boom'))).toEqual({ error: { code: 'internal', message: 'boom' } });
  });
});

describe('jobs', () => {
  it('runs work in the background and reports progress, result and failure', async () => {
    const jobs = new JobRegistry();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const ok = jobs.start('ingest', async (rep) => {
      rep.progress(0.5, 'half');
      await gate;
      return 42;
    });
    expect(ok.state).toBe('running');
    await new Promise((r) => setTimeout(r, 5));
    expect(jobs.get(ok.id)?.message).toBe('half');
    expect(jobs.active('ingest')?.id).toBe(ok.id);
    const bad = jobs.start('train', async () => {
      throw new Error('no labels');
    });
    release();
    await jobs.idle();
    expect(jobs.get(ok.id)).toMatchObject({ state: 'done', result: 42, progress: 1 });
    expect(jobs.get(bad.id)).toMatchObject({ state: 'failed', error: 'no labels' });
    expect(jobs.get(ok.id)?.finishedAt).not.toBeNull();
    expect(jobs.active('ingest')).toBeUndefined();
  });
});
