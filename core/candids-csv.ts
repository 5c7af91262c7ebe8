/** A CSV's `candid` column (a list of alerts, e.g. a held-out set): errors name the file, row and field, never quote it. */
import { parse } from 'csv-parse/sync';

const CANDID = /^\d{1,20}$/;

/** The candids of a CSV text with a `candid` column, in file order (19-digit ids kept as text). */
export function candidsFromCsvText(text: string, file: string): string[] {
  if (text.includes('\0')) throw new Error(`${file}: not a CSV text file (binary data)`);
  let recs: Record<string, string>[];
  try {
    recs = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true });
  } catch {
    throw new Error(`${file}: not a readable CSV file`);
  }
  if (recs.length > 0 && !('candid' in recs[0])) throw new Error(`${file}: no 'candid' column`);
  return recs.map((r, i) => {
    const c = (r.candid ?? '').trim();
    if (!CANDID.test(c)) throw new Error(`${file}: row ${i + 2}, field candid: not a decimal integer of at most 20 digits`);
    return c;
  });
}
