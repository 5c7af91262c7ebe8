import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { intArg, numberArg } from '../../core/cli/options.js';

const run = promisify(execFile);

describe('numeric CLI options', () => {
  it('intArg accepts integers in range and refuses the rest', () => {
    const folds = intArg(2);
    expect(folds('5')).toBe(5);
    for (const bad of ['1', 'abc', '', '2.5', '1e400']) expect(() => folds(bad), bad).toThrow(InvalidArgumentError);
    expect(() => folds('1')).toThrow('an integer ≥ 2 is expected');
    const port = intArg(0, 65535);
    expect(port('0')).toBe(0);
    expect(() => port('65536')).toThrow('an integer from 0 to 65535 is expected');
    expect(intArg()('-3')).toBe(-3);
  });

  it('numberArg checks the interval, open or closed', () => {
    expect(numberArg(0, 1)('1')).toBe(1);
    expect(() => numberArg(0, 1, true)('1')).toThrow('strictly between 0 and 1');
    expect(numberArg(0, 1, true)('0.2')).toBe(0.2);
    expect(() => numberArg(0, 1)('NaN')).toThrow(InvalidArgumentError);
  });

  it('a bad value stops the command with a message naming the option and the value', async () => {
    const err = (await run('node', ['bin/finkvra.js', '--db', ':memory:', 'train', '--folds', 'abc']).catch(
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toContain("option '--folds <k>' argument 'abc' is invalid");
    expect(err.stderr).toContain('an integer ≥ 2 is expected');
  });
});
