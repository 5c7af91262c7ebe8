/**
 * Parsers for numeric CLI options, shared by every command. A refused value is reported by commander as
 * "option '--folds <k>' argument 'abc' is invalid. an integer ≥ 2 is expected", naming the option and the value.
 */
import { InvalidArgumentError } from 'commander';

/** An integer in [min, max]. */
export function intArg(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${describe('an integer', min, max)} is expected`);
    return n;
  };
}

/** A number in [min, max], or in (min, max) when `exclusive`. */
export function numberArg(min: number, max: number, exclusive = false): (v: string) => number {
  return (v) => {
    const n = Number(v);
    const inside = exclusive ? n > min && n < max : n >= min && n <= max;
    if (v.trim() === '' || !Number.isFinite(n) || !inside) {
      throw new InvalidArgumentError(`a number ${exclusive ? 'strictly ' : ''}between ${min} and ${max} is expected`);
    }
    return n;
  };
}

function describe(what: string, min: number, max: number): string {
  const lo = min > Number.MIN_SAFE_INTEGER;
  const hi = max < Number.MAX_SAFE_INTEGER;
  if (lo && hi) return `${what} from ${min} to ${max}`;
  if (lo) return `${what} ≥ ${min}`;
  if (hi) return `${what} ≤ ${max}`;
  return what;
}
