/** Runs the experiment commands (labels weak, simulate) until core/cli/main.ts registers them. */
import { Command } from 'commander';
import { registerSimulate } from '../../core/cli/commands/simulate.js';
import { registerWeak } from '../../core/cli/commands/weak.js';

const program = new Command('finkvra').option('--db <file>').option('--home <dir>');
registerWeak(program);
registerSimulate(program);
await program.parseAsync(process.argv);
