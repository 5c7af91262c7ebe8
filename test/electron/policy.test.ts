import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isAppPage,
  isHttpUrl,
  isPaneHost,
  paneDecision,
  withCsp,
} from '../../electron/policy.js';

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
    const h = withCsp({ 'content-security-policy': ['default-src *'], 'X-Other': ['1'] }, "default-src 'self'");
    expect(h).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': ["default-src 'self'"] });
    expect(withCsp(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
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
