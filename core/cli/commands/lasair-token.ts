/** `finkvra lasair-token set|clear|status`: keep the Lasair token in the store, read from stdin, never from argv. */
import type { Command } from 'commander';
import { withService } from '../service.js';

/** The first line of stdin (a pipe, a redirect, or typed at the terminal). */
async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0].trim();
}

export function registerLasairToken(program: Command): void {
  const cmd = program
    .command('lasair-token')
    .description("keep the Lasair API token (Sherlock's sep_arcsec) in the store; LASAIR_TOKEN, when set, wins");
  cmd
    .command('set')
    .description('read the token from stdin (not an argument: a command line is visible to other users)')
    .action(async (_o: unknown, sub: Command) => {
      if (process.stdin.isTTY) console.error('Lasair token (then Enter):');
      const token = await readFirstLine();
      if (!/^[\w.-]{8,200}$/.test(token)) throw new Error('stdin: not a Lasair token (8–200 letters, digits, ._-)');
      await withService(sub, (api) => api.call('settings.lasairToken', { action: 'set', token }));
      console.log('Lasair token stored');
    });
  cmd
    .command('clear')
    .description('forget the stored token')
    .action(async (_o: unknown, sub: Command) => {
      await withService(sub, (api) => api.call('settings.lasairToken', { action: 'clear' }));
      console.log('Lasair token removed');
    });
  cmd
    .command('status')
    .description('say whether a token is stored or set in the environment (never prints it)')
    .action(async (_o: unknown, sub: Command) => {
      const { stored } = await withService(sub, (api) => api.call('settings.lasairToken', { action: 'show' }));
      const env = !!process.env.LASAIR_TOKEN;
      console.log(`Lasair token: ${env ? 'from LASAIR_TOKEN' : stored ? 'stored' : 'none'}${env && stored ? ' (a stored one is unused)' : ''}`);
    });
}
