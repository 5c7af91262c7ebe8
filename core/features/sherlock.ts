/**
 * sep_arcsec from Lasair's Sherlock service (https://lasair-ztf.lsst.ac.uk/api, method /api/sherlock/object/, up to
 * 10 comma-separated objectIds, `lite=true`, token in an `Authorization: Token …` header), for alerts whose file has
 * no Sherlock column. Every answer (including "no crossmatch" and "unknown object") is cached, so each object is
 * asked once. Without a token, or offline, nothing is fetched: the values stay missing and the result carries one
 * message for the caller to print once, instead of an error per object.
 */
import type { SherlockCache, SherlockEntry } from './sherlock-cache.js';

import { LASAIR_BASE_URL } from '../urls.js';

export { LASAIR_BASE_URL };
/** Lasair accepts at most 10 objectIds per call. */
const MAX_BATCH = 10;

export interface SherlockOptions {
  token?: string | null;
  fetchImpl?: typeof fetch;
  baseUrl?: string;
  /** Objects per request, at most 10. */
  batchSize?: number;
  timeoutMs?: number;
}

export type SherlockStop = 'no-token' | 'offline' | 'auth' | 'throttled' | 'http' | 'bad-response';

export interface SherlockLookup {
  /** Every requested objectId → its separation (null = missing). */
  sep: Map<string, number | null>;
  /** Every requested objectId → Sherlock class, when known. */
  sherlockClass: Map<string, string | null>;
  fromCache: number;
  fetched: number;
  /** Why lookups stopped early (objects left are missing, not cached, and will be asked next time). */
  stopped: SherlockStop | null;
  /** One line for the user when something stopped lookups (null for no token: that is the normal offline mode). */
  message: string | null;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Top crossmatch separation and class from one object's Sherlock record ({classifications, crossmatches}). */
export function parseSherlockRecord(objectId: string, rec: unknown): { sepArcsec: number | null; sherlockClass: string | null } {
  if (!isRecord(rec)) return { sepArcsec: null, sherlockClass: null };
  let sherlockClass: string | null = null;
  const cls = rec.classifications;
  if (isRecord(cls)) {
    const mine = cls[objectId] ?? Object.values(cls)[0];
    if (Array.isArray(mine) && typeof mine[0] === 'string') sherlockClass = mine[0];
    else if (typeof mine === 'string') sherlockClass = mine;
  } else if (typeof rec.classification === 'string') {
    sherlockClass = rec.classification;
  }
  let sepArcsec: number | null = null;
  const xm = rec.crossmatches;
  if (Array.isArray(xm) && xm.length > 0) {
    // The top crossmatch is rank 1 when ranks are given, else the first listed.
    let best: unknown = xm[0];
    let bestRank = Infinity;
    for (const m of xm) {
      const r = isRecord(m) ? asNumber(m.rank) : null;
      if (r !== null && r < bestRank) {
        bestRank = r;
        best = m;
      }
    }
    if (isRecord(best)) {
      sepArcsec = asNumber(best.separationArcsec);
      if (sherlockClass === null && typeof best.association_type === 'string') sherlockClass = best.association_type;
    }
  }
  return { sepArcsec, sherlockClass };
}

/** Split a response into per-object records: keyed by objectId, or (asking one object) the record itself. */
function recordsOf(json: unknown, ids: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (Array.isArray(json)) {
    for (const r of json) if (isRecord(r) && typeof r.objectId === 'string') out.set(r.objectId, r);
    return out;
  }
  if (!isRecord(json)) return out;
  for (const id of ids) if (id in json) out.set(id, json[id]);
  if (out.size === 0 && ids.length === 1 && ('classifications' in json || 'crossmatches' in json)) out.set(ids[0], json);
  return out;
}

function causeOf(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; message?: string; name?: string };
  return err?.cause?.code ?? err?.cause?.message ?? err?.name ?? err?.message ?? String(e);
}

export async function lookupSherlock(
  objectIds: readonly string[],
  opts: SherlockOptions,
  cache: SherlockCache,
): Promise<SherlockLookup> {
  const result: SherlockLookup = {
    sep: new Map(),
    sherlockClass: new Map(),
    fromCache: 0,
    fetched: 0,
    stopped: null,
    message: null,
  };
  const todo: string[] = [];
  for (const id of new Set(objectIds)) {
    const hit = cache.get(id);
    if (hit) {
      result.sep.set(id, hit.sepArcsec);
      result.sherlockClass.set(id, hit.sherlockClass);
      result.fromCache++;
    } else {
      result.sep.set(id, null);
      result.sherlockClass.set(id, null);
      todo.push(id);
    }
  }
  if (todo.length === 0) return result;
  if (!opts.token) {
    result.stopped = 'no-token';
    return result;
  }
  const doFetch = opts.fetchImpl ?? fetch;
  const base = (opts.baseUrl ?? LASAIR_BASE_URL).replace(/\/+$/, '');
  const size = Math.max(1, Math.min(MAX_BATCH, opts.batchSize ?? MAX_BATCH));
  const left = (i: number): number => todo.length - i;

  for (let i = 0; i < todo.length; i += size) {
    const ids = todo.slice(i, i + size);
    const url = `${base}/api/sherlock/object/?objectId=${encodeURIComponent(ids.join(','))}&lite=true&format=json`;
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: { Authorization: `Token ${opts.token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
      });
    } catch (e) {
      result.stopped = 'offline';
      result.message = `Lasair is unreachable (${causeOf(e)}): sep_arcsec stays missing for ${left(i)} object(s); they will be asked again next time.`;
      return result;
    }
    if (!res.ok) {
      result.stopped = res.status === 401 || res.status === 403 ? 'auth' : res.status === 429 ? 'throttled' : 'http';
      const why =
        result.stopped === 'auth'
          ? 'the Lasair token was refused'
          : result.stopped === 'throttled'
            ? 'Lasair is throttling this token (100 calls/hour for a normal account)'
            : `Lasair answered HTTP ${res.status}`;
      result.message = `${why}: sep_arcsec stays missing for ${left(i)} object(s); they will be asked again next time.`;
      await res.body?.cancel().catch(() => undefined);
      return result;
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      result.stopped = 'bad-response';
      result.message = `Lasair sent a response that is not JSON: sep_arcsec stays missing for ${left(i)} object(s).`;
      return result;
    }
    const records = recordsOf(json, ids);
    const now = new Date().toISOString();
    for (const id of ids) {
      const rec = records.get(id);
      const parsed = parseSherlockRecord(id, rec);
      const entry: SherlockEntry = {
        objectId: id,
        sepArcsec: parsed.sepArcsec,
        sherlockClass: parsed.sherlockClass,
        rawJson: rec === undefined ? null : JSON.stringify(rec),
        fetchedAt: now,
      };
      cache.put(entry);
      result.sep.set(id, entry.sepArcsec);
      result.sherlockClass.set(id, entry.sherlockClass);
      result.fetched++;
    }
  }
  return result;
}
