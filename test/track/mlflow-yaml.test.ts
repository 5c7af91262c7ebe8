import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { flatYaml, pythonFloatRepr, yamlString } from '../../core/track/mlflow-yaml.js';

describe('pythonFloatRepr (hand-checked against Python 3 repr)', () => {
  it.each([
    [0.1, '0.1'],
    [1, '1.0'],
    [-2.5, '-2.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [100, '100.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e-4, '0.0001'],
    [1e-5, '1e-05'],
    [1.2345e-7, '1.2345e-07'],
    [0.30000000000000004, '0.30000000000000004'],
    [1e22, '1e+22'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [Number.NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s -> %s', (v, want) => {
    expect(pythonFloatRepr(v)).toBe(want);
  });
});

describe('yamlString (plain unless PyYAML would read another type)', () => {
  it.each([
    ['gal_least_confidence', 'gal_least_confidence'],
    ['file:///tmp/mlruns/1', 'file:///tmp/mlruns/1'],
    ['1', "'1'"],
    ['', "''"],
    ['true', "'true'"],
    ['null', "'null'"],
    ['1.5', "'1.5'"],
    ['0x1f', "'0x1f'"],
    ['2024-01-02', "'2024-01-02'"],
    ['1e5', '1e5'],
    ['a: b', "'a: b'"],
    ["it's", "it's"],
    ["'quoted'", "'''quoted'''"],
    ['- x', "'- x'"],
    ['two\nlines', '"two\\nlines"'],
  ])('%j -> %s', (s, want) => {
    expect(yamlString(s)).toBe(want);
  });

  it('flatYaml sorts keys and writes null, [] and integers bare', () => {
    expect(flatYaml({ b: 1, a: null, c: [], d: '07' })).toBe("a: null\nb: 1\nc: []\nd: '07'\n");
    expect(() => flatYaml({ x: 0.5 })).toThrow();
  });
});

const havePy = spawnSync('/usr/bin/python3', ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;
if (!havePy) console.warn('skipping the PyYAML/repr cross-checks: /usr/bin/python3 with PyYAML not available');

describe.skipIf(!havePy)('against Python itself', () => {
  it('pythonFloatRepr equals repr(float) for many values', () => {
    const values: number[] = [];
    for (let i = 1; i < 400; i++) {
      const v = Math.sin(i * 12.9898) * 10 ** ((i % 45) - 22);
      values.push(v, -v, Math.round(v), 1 / i);
    }
    // JSON cannot carry -0 (Math.round of a tiny negative); it is hand-checked above.
    const finite = values.filter((v) => !Object.is(v, -0));
    const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, json; print(json.dumps([repr(float(x)) for x in json.load(sys.stdin)]))'], {
      input: JSON.stringify(finite),
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const want = JSON.parse(r.stdout) as string[];
    expect(finite.map(pythonFloatRepr)).toEqual(want);
  });

  it('every string loads back as itself, and single-line ones match PyYAML byte for byte', () => {
    const strings = [
      'gal_least_confidence',
      'round_0_least_confidence',
      '0123456789abcdef0123456789abcdef',
      '12345678901234567890123456789012',
      '1e10',
      '1.0',
      '.5',
      '+1',
      '-1',
      '0o17',
      '0b101',
      '0777',
      '1:30',
      'yes',
      'No',
      'off',
      'y',
      '~',
      '<<',
      '=',
      '@user',
      '%x',
      '#x',
      'a #b',
      'a#b',
      'x:',
      ':x',
      '?x',
      '-x',
      '---',
      '...',
      ' lead',
      'trail ',
      'tab\there',
      'ünïcödé ✓',
      "single ' quote",
      'double " quote',
      'back\\slash',
      'line\nbreak',
      '\u0007bell',
      '[list]',
      '{map}',
      'a, b',
      '*alias',
      '&anchor',
      '!tag',
      '|pipe',
      '>fold',
      '`tick',
      '2024-01-02 03:04:05',
    ];
    const script = `
import sys, json, yaml
out = []
for s, ours in json.load(sys.stdin):
    loaded = yaml.safe_load('k: ' + ours)['k']
    theirs = yaml.safe_dump({'k': s}, default_flow_style=False, allow_unicode=True)
    out.append([loaded == s, theirs == 'k: ' + ours + '\\n', '\\n' in theirs.rstrip('\\n')])
print(json.dumps(out))`;
    const r = spawnSync('/usr/bin/python3', ['-c', script], {
      input: JSON.stringify(strings.map((s) => [s, yamlString(s)])),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as [boolean, boolean, boolean][];
    strings.forEach((s, i) => {
      const [loadsBack, sameBytes, pyMultiline] = res[i];
      expect(loadsBack, `${JSON.stringify(s)} loads back`).toBe(true);
      // Where PyYAML escapes or folds (control characters, line breaks) our output differs in form only.
      const special = s.includes('\n') || s.includes('\t') || s.includes('\u0007');
      if (!special && !pyMultiline) expect(sameBytes, `${JSON.stringify(s)} as PyYAML writes it`).toBe(true);
    });
  });
});
