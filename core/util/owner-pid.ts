/**
 * Temporary files and folders tagged with the id of the process that made them (`<prefix><pid>-<rest>`), so that
 * the leftovers of a crashed process can be told from the work in progress of a live one (another CLI ingest, the
 * app) and removed at the next start.
 */

/** `<prefix><this pid>-`: the start of a name this process owns. */
export function ownedPrefix(prefix: string): string {
  return `${prefix}${process.pid}-`;
}

/** True when no process with this id runs (EPERM: it runs, under another user). */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Whether `name` (which starts with `prefix`) is a leftover: its owner process is gone. Names without a pid tag
 * (written before tagging existed) count as leftovers when `untagged` says so.
 */
export function isLeftover(name: string, prefix: string, untagged: boolean): boolean {
  const m = /^(\d+)-/.exec(name.slice(prefix.length));
  if (!m) return untagged;
  const pid = Number(m[1]);
  return pid !== process.pid && processGone(pid);
}
