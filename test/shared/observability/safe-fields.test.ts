import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeError, REDACTED, sanitizeFields } from '../../../shared/observability/safe-fields.ts';

describe('sanitizeFields', () => {
  it('keeps identifiers, codes and numbers', () => {
    expect(sanitizeFields({ draftId: 'd-123', code: 'VALIDATION_FAILED', count: 3, ok: true })).toEqual({
      draftId: 'd-123',
      code: 'VALIDATION_FAILED',
      count: 3,
      ok: true,
    });
  });

  it('redacts free text, which may hold PHI', () => {
    expect(sanitizeFields({ note: 'John Smith DOB 01/02/1960' })).toEqual({ note: REDACTED });
  });

  it('never lets a string with whitespace through, whatever it is', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (fields) => {
        for (const value of Object.values(sanitizeFields(fields))) {
          expect(typeof value === 'string' && /\s/.test(value)).toBe(false);
          expect(typeof value === 'string' && value.length > 128).toBe(false);
        }
      }),
    );
  });
});

describe('describeError', () => {
  it('gives name, code and frames but never the message, which may echo input', () => {
    const error = Object.assign(new TypeError('patient Jane Roe not found'), { code: 'E_NOPE' });
    const described = JSON.stringify(describeError(error));
    expect(described).toContain('TypeError');
    expect(described).toContain('E_NOPE');
    expect(described).not.toContain('Jane');
  });
});
