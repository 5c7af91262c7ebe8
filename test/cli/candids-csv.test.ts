/** `labels holdout --file`: a CSV's candid column; errors name the file, row and field and never quote the file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidsFromCsvText } from '../../core/candids-csv.js';
import { registerLabels } from '../../core/cli/commands/labels.js';
import { cliRunner } from '../helpers/cli.js';
import { makeStore, separableAlerts } from '../loop/fixture.js';

describe('candidsFromCsvText', () => {
  it('reads the candid column in order, 19-digit ids kept as text, other columns ignored', () => {
    const text = '\ufeffobjectId,candid\nZTF1,1700000000000000001\nZTF2, 42 \n\n';
    expect(candidsFromCsvText(text, 'ids.csv')).toEqual(['1700000000000000001', '42']);
  });

  it('refuses a file without a candid column, a bad candid and binary data, without quoting them', () => {
    expect(() => candidsFromCsvText('id\nsecret-value\n', 'a.csv')).toThrow(/^a\.csv: no 'candid' column$/);
    let msg = '';
    try {
      candidsFromCsvText('candid\n12\nSECRET\n', 'b.csv');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toBe('b.csv: row 3, field candid: not a decimal integer of at most 20 digits');
    expect(() => candidsFromCsvText('candid\n1\0SECRET', 'c.bin')).toThrow(/^c\.bin: not a CSV text file \(binary data\)$/);
  });

  it('`labels holdout --file` refuses a bad candid naming the file and row, not quoting it', async () => {
    const st = makeStore(separableAlerts(10));
    st.db.close();
    const file = join(st.dir, 'ids.csv');
    writeFileSync(file, 'candid\n1700000000000000001\nSECRET-TOKEN\n');
    const run = cliRunner(st.dbPath, join(st.dir, 'home'), registerLabels);
    const err = await run('labels', 'holdout', '--file', file).then(
      () => null,
      (e: unknown) => (e as Error).message,
    );
    expect(err).toBe(`${file}: row 3, field candid: not a decimal integer of at most 20 digits`);
  });
});
