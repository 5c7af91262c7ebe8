/** One-time launch codes: each is good for one page load within its lifetime, then gone. */
import { randomBytes } from 'node:crypto';

export class LaunchCodes {
  private readonly expiry = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    const code = randomBytes(24).toString('base64url');
    this.expiry.set(code, this.now() + this.ttlMs);
    return code;
  }

  /** Whether the code is live; it is spent either way. */
  take(code: string): boolean {
    const until = this.expiry.get(code);
    this.expiry.delete(code);
    this.dropExpired();
    return until !== undefined && this.now() <= until;
  }

  private dropExpired(): void {
    const t = this.now();
    for (const [c, until] of this.expiry) if (until < t) this.expiry.delete(c);
  }
}
