/**
 * A `finkvra` with the loop's commands only, for tests that need a real process (piped stdin for `label`) whatever
 * the state of core/cli/main.ts. Run: node --import tsx test/cli/finkvra-loop.ts --db FILE label
 */
import { Command } from 'commander';
import { registerLabel } from '../../core/cli/commands/label.js';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerTrain } from '../../core/cli/commands/train.js';

const program = new Command('finkvra').option('--db <file>').option('--home <dir>');
registerLabels(program);
registerTrain(program);
registerRound(program);
registerLabel(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  console.error(`finkvra: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
