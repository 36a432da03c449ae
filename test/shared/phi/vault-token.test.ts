import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTokens, formatToken, TOKEN_CODE_LENGTH, tokenCode } from '../../../shared/phi/vault-token.ts';

describe('vault tokens', () => {
  it('encode a MAC as six Crockford base32 characters, deterministically', () => {
    const mac = Uint8Array.from([0xff, 0x00, 0xab, 0xcd, 0x12, 0x34]);
    expect(tokenCode(mac)).toBe(tokenCode(Uint8Array.from(mac)));
    expect(tokenCode(mac)).toMatch(/^[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(tokenCode(Uint8Array.from([0, 0, 0, 0]))).toBe('000000');
    expect(tokenCode(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toBe('ZZZZZZ');
  });

  it('give different codes for MACs that differ in their first 30 bits', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        (a, b) => {
          const top30 = (x: Uint8Array) =>
            (x[0] ?? 0) * 2 ** 22 + (x[1] ?? 0) * 2 ** 14 + (x[2] ?? 0) * 64 + ((x[3] ?? 0) >> 2);
          expect(tokenCode(a) === tokenCode(b)).toBe(top30(a) === top30(b));
        },
      ),
    );
  });

  it('are found in text with their type and exact offsets', () => {
    const token = formatToken('NAME', 'AB12CD');
    const text = `Seen by ${token} on ${formatToken('DATE', '0000ZZ')}.`;
    const found = findTokens(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ token, type: 'NAME', begin: 8 });
    expect(text.slice(found[1]?.begin, found[1]?.end)).toBe('[DATE_0000ZZ]');
    expect(token.length).toBe(TOKEN_CODE_LENGTH + 7);
  });

  it('ignore look-alikes with unknown types, wrong length or forbidden letters', () => {
    expect(findTokens('[PATIENT_AB12CD] [NAME_AB12C] [NAME_AB12CDE] [NAME_AB1ICD] [name_ab12cd]')).toEqual([]);
  });
});
