/**
 * The flat `meta.yaml` files of an MLflow file store, written by hand: the project declares no YAML library
 * (js-yaml is only present as a transitive dev dependency), and these files are one level of `key: scalar` lines.
 * The output follows PyYAML's `safe_dump(default_flow_style=False, sort_keys=True)` as MLflow calls it: keys sorted,
 * strings plain unless PyYAML would read them as another type (then single-quoted, e.g. experiment_id: '1'),
 * integers bare, None as `null`, an empty list as `[]`. Strings with line breaks or control characters are written
 * double-quoted (JSON escapes are valid YAML), where PyYAML would fold them: the loaded value is the same.
 * Also here: Python's repr() of a float, which MLflow uses for metric values.
 */

export type YamlValue = string | number | null | readonly never[];

// PyYAML's implicit resolvers (YAML 1.1): a plain scalar matching one of these is not read back as a string.
const IMPLICIT: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

/** Characters PyYAML writes as they are with allow_unicode (anything else forces double quotes). */
function printable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function plainAllowed(s: string): boolean {
  if (s === '' || IMPLICIT.some((re) => re.test(s))) return false;
  if (s.startsWith('---') || s.startsWith('...')) return false;
  if (s.startsWith(' ') || s.endsWith(' ')) return false;
  const first = s[0];
  const second = s[1];
  if ('#,[]{}&*!|>\'"%@`'.includes(first)) return false;
  if ('?:-'.includes(first) && (second === undefined || second === ' ')) return false;
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) return false;
  return true;
}

export function yamlString(s: string): string {
  const needsDouble = /[\n\r\u2028\u2029]/.test(s) || [...s].some((ch) => !printable(ch.codePointAt(0) as number));
  if (needsDouble) return JSON.stringify(s);
  if (plainAllowed(s)) return s;
  return `'${s.replaceAll("'", "''")}'`;
}

function yamlScalar(v: YamlValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`meta.yaml numbers are integers here, got ${v}`);
    return String(v);
  }
  return yamlString(v as string);
}

/** A flat mapping as PyYAML block style, keys sorted, ending with a newline. */
export function flatYaml(data: Record<string, YamlValue>): string {
  return (
    Object.keys(data)
      .sort()
      .map((k) => `${yamlString(k)}: ${yamlScalar(data[k])}`)
      .join('\n') + '\n'
  );
}

/** Python's repr() of a float (shortest round-trip digits; scientific below 1e-4 and from 1e16; nan, inf). */
export function pythonFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest digits that round-trip, as Python's repr does.
  const [mant, expText] = Math.abs(v).toExponential().split('e');
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
