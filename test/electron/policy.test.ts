import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock.js'));

import { isAppPage, isHttpUrl, isPaneHost, paneDecision, withoutCsp } from '../../electron/policy.js';
import { hardenSession } from '../../electron/window.js';
import * as E from './electron-mock.js';

const APP_URL = 'file:///app/dist/renderer/index.html';

/** The headers hardenSession sets on an app response. */
function appCspHeaders(headers: Record<string, string[]>, dev: boolean): Record<string, string[]> {
  const ses = E.makeSession('t');
  hardenSession(ses as never, { appUrl: APP_URL, dev });
  let out: Record<string, string[]> = {};
  ses.headersListener!({ url: APP_URL, responseHeaders: headers }, (r) => (out = r.responseHeaders ?? {}));
  return out;
}
const contentSecurityPolicy = (dev = false) => appCspHeaders({}, dev)['Content-Security-Policy'][0];

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((d) => {
      const [k, ...v] = d.trim().split(/\s+/);
      return [k, v.join(' ')];
    }),
  );
}

describe('content security policy', () => {
  it('is strict in production', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('default-src')).toBe("'self'");
    expect(d.get('script-src')).toBe("'self'");
    expect(d.get('style-src')).toBe("'self'");
    expect(d.get('img-src')).toBe("'self' data: blob:");
    expect(d.get('connect-src')).toBe("'self'");
    expect(d.get('object-src')).toBe("'none'");
    expect(d.get('frame-ancestors')).toBe("'none'");
    expect(contentSecurityPolicy()).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy()).not.toContain('unsafe-inline');
  });

  it('relaxes only what the dev server needs in dev', () => {
    const d = directives(contentSecurityPolicy(true));
    expect(d.get('script-src')).toContain("'unsafe-inline'");
    expect(d.get('connect-src')).toContain('ws://localhost:*');
    expect(d.get('object-src')).toBe("'none'");
    expect(contentSecurityPolicy(true)).not.toContain('unsafe-eval');
  });

  it('replaces an existing CSP header whatever its case and keeps the others', () => {
    const h = appCspHeaders({ 'content-security-policy': ['default-src *'], 'X-Other': ['1'] }, false);
    expect(Object.keys(h).sort()).toEqual(['Content-Security-Policy', 'X-Other']);
    expect(h['X-Other']).toEqual(['1']);
    expect(h['Content-Security-Policy']).toEqual([contentSecurityPolicy()]);
    expect(withoutCsp({ 'Content-Security-Policy': ['a'], 'CONTENT-SECURITY-POLICY': ['b'], A: ['c'] })).toEqual({ A: ['c'] });
    expect(withoutCsp(undefined)).toEqual({});
  });

  it('matches the policy web mode sends in its script, style, image, connect, framing, base and form directives', async () => {
    // Imported here, not skipped when missing: a test that can pass without comparing anything compares nothing.
    const { CONTENT_SECURITY_POLICY } = await import('../../core/server/server.js');
    const web = directives(CONTENT_SECURITY_POLICY);
    const ours = directives(contentSecurityPolicy());
    for (const k of ['script-src', 'style-src', 'img-src', 'connect-src', 'frame-ancestors', 'base-uri', 'form-action']) {
      expect(ours.get(k), k).toBe(web.get(k));
    }
  });
});

describe('URL rules', () => {
  it('hands only http(s) to the system browser', () => {
    expect(isHttpUrl('https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/')).toBe(true);
    expect(isHttpUrl('http://example.org/')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'data:text/html,x', 'vscode://x', 'not a url', '']) {
      expect(isHttpUrl(bad), bad).toBe(false);
    }
  });

  it('keeps Lasair and Fink (https) in the pane, sends other http(s) out and refuses the rest', () => {
    expect(paneDecision('https://lasair-ztf.lsst.ac.uk/objects/ZTF21abcdefg/')).toBe('allow');
    expect(paneDecision('https://fink-portal.org/ZTF21abcdefg')).toBe('allow');
    expect(paneDecision('https://api.fink-portal.org/x')).toBe('allow');
    expect(paneDecision('https://simbad.u-strasbg.fr/simbad/')).toBe('external');
    expect(paneDecision('http://lasair-ztf.lsst.ac.uk/objects/x/')).toBe('external');
    // look-alike hosts are not Lasair
    expect(paneDecision('https://lasair-ztf.lsst.ac.uk.evil.example/')).toBe('external');
    expect(paneDecision('https://evil-fink-portal.org/')).toBe('external');
    expect(isPaneHost('notfink-portal.org')).toBe(false);
    expect(paneDecision('javascript:alert(1)')).toBe('refuse');
    expect(paneDecision('file:///etc/passwd')).toBe('refuse');
    expect(paneDecision('data:text/html,<script>1</script>')).toBe('refuse');
    expect(paneDecision('%%%')).toBe('refuse');
  });

  it('recognises the app page exactly', () => {
    const app = 'file:///opt/finkvra/resources/app.asar/dist/renderer/index.html';
    expect(isAppPage(app, app)).toBe(true);
    expect(isAppPage(`${app}#/label`, app)).toBe(true);
    expect(isAppPage('file:///home/u/evil.html', app)).toBe(false);
    expect(isAppPage('https://lasair-ztf.lsst.ac.uk/', app)).toBe(false);
    expect(isAppPage(null, app)).toBe(false);
    const dev = 'http://localhost:5173/';
    expect(isAppPage('http://localhost:5173/label', dev)).toBe(true);
    expect(isAppPage('http://localhost:5174/', dev)).toBe(false);
  });
});
