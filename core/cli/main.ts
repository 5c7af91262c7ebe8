import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerDust } from './commands/dust.js';
import { registerFeatures } from './commands/features.js';
import { registerGenerate } from './commands/generate.js';
import { registerInfo } from './commands/info.js';
import { registerLabel } from './commands/label.js';
import { registerLabels } from './commands/labels.js';
import { registerRound } from './commands/round.js';
import { registerTrain } from './commands/train.js';
import { registerIngest } from './commands/ingest.js';
import { registerRuns } from './commands/runs.js';
import { registerScore } from './commands/score.js';
import { registerSimulate } from './commands/simulate.js';
import { registerWeak } from './commands/weak.js';
import { registerWeb } from './commands/web.js';
import { registerLasairToken } from './commands/lasair-token.js';
import { usePrivateFileModes } from '../util/paths.js';

export function buildProgram(): Command {
  const program = new Command('finkvra')
    .description('Fink VRA: ingest Fink ZTF alerts, build features, label with active learning')
    .option('--db <file>', 'store (SQLite) to use (default: $FINKVRA_HOME/finkvra.sqlite)')
    .option('--home <dir>', 'app data folder (default: $FINKVRA_HOME or ~/.finkvra)')
    .showHelpAfterError();
  registerIngest(program);
  registerFeatures(program);
  registerInfo(program);
  registerDemo(program);
  registerDust(program);
  registerGenerate(program);
  registerLabels(program);
  registerWeak(program);
  registerTrain(program);
  registerScore(program);
  registerRound(program);
  registerLabel(program);
  registerRuns(program);
  registerSimulate(program);
  registerWeb(program);
  registerLasairToken(program);
  return program;
}

usePrivateFileModes();
try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  console.error(`finkvra: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
