import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../../shared/audit/audit-chain.ts';
import { exportAuditDay, readAuditDayExport } from '../../../shared/audit/export-audit-day.ts';
import { verifyAuditRecords } from '../../../shared/audit/verify-audit-chain.ts';
import { auditEntry, buildChain, fakeChainStore, stored } from './audit-fixtures.ts';

const day = '2026-03-01';
const records: StoredRecord[] = [
  ...buildChain(`chain#${day}#09`, [auditEntry(), auditEntry()]).map(stored),
  ...buildChain(`chain#${day}#02`, [auditEntry(), auditEntry(), auditEntry()]).map(stored),
  ...buildChain('chain#2026-03-02#02', [auditEntry()]).map(stored),
];
const store = fakeChainStore([...records].reverse());

describe('exportAuditDay', () => {
  it("writes the day's records as JSON lines sorted by chain then seq, and a final anchors line", async () => {
    const result = await exportAuditDay(day, { store });
    const lines = result.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));

    expect(result.records).toBe(5);
    expect(lines.slice(0, -1).map(({ pk, seq }) => `${pk}/${seq}`)).toEqual([
      'chain#2026-03-01#02/1',
      'chain#2026-03-01#02/2',
      'chain#2026-03-01#02/3',
      'chain#2026-03-01#09/1',
      'chain#2026-03-01#09/2',
    ]);
    expect(lines.at(-1)).toEqual({
      anchors: [
        { pk: 'chain#2026-03-01#02', seq: 3, hash: records[4]?.hash },
        { pk: 'chain#2026-03-01#09', seq: 2, hash: records[1]?.hash },
      ],
      day,
      records: 5,
    });
    expect(result.anchors).toEqual(lines.at(-1).anchors);
  });

  it('can be read back and verified offline, where an edited line is reported', async () => {
    const { text } = await exportAuditDay(day, { store });
    const read = readAuditDayExport(text);

    expect(read.day).toBe(day);
    expect(verifyAuditRecords(read.records, { anchors: read.anchors })).toMatchObject({ ok: true, records: 5 });
    const edited = readAuditDayExport(text.replace('"outcome":"allowed"', '"outcome":"denied"'));
    expect(verifyAuditRecords(edited.records, { anchors: edited.anchors }).findings).toEqual([
      { kind: 'modified', pk: 'chain#2026-03-01#02', seq: 1, detail: expect.any(String) },
    ]);
  });

  it('refuses a day that is not a calendar date, and text that is not an export', async () => {
    await expect(exportAuditDay('2026-02-30', { store })).rejects.toMatchObject({ code: 'INVALID_AUDIT_DAY' });
    const { text } = await exportAuditDay(day, { store });
    const lines = text.trimEnd().split('\n');
    for (const broken of ['', 'not json', lines.slice(1).join('\n'), lines.slice(0, -1).join('\n')]) {
      expect(() => readAuditDayExport(broken)).toThrow(expect.objectContaining({ code: 'INVALID_AUDIT_EXPORT' }));
    }
  });
});
