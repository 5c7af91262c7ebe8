/** Progress of long work on the terminal: a bar on a TTY, plain lines on stderr otherwise (logs, pipes, tests). */
import cliProgress from 'cli-progress';

export type ProgressFn = (fraction: number, message: string) => void;

/** A progress bar on a terminal, plain lines otherwise; returns the callback and a stop function. */
export function progressReporter(label: string): { progress: ProgressFn; stop: () => void } {
  if (!process.stderr.isTTY) {
    let lastMsg = '';
    return {
      progress: (_f, m) => {
        if (m !== lastMsg) console.error(`${label}: ${m}`);
        lastMsg = m;
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {msg}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { msg: 'starting' });
  return {
    progress: (f, m) => bar.update(Math.round(f * 100), { msg: m }),
    stop: () => bar.stop(),
  };
}
