import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CptCode,
  Icd10CmCode,
  icd10CmCategory,
  isMoreSpecific,
  normaliseIcd10Cm,
} from '../../../shared/coding/code-formats.ts';

describe('code formats', () => {
  it.each(['I10', 'E11.65', 'e1165', 'S52.521A', 'F32.A', 'Z00.00', 'U07.1'])(
    'accepts the ICD-10-CM code %s',
    (code) => {
      expect(Icd10CmCode.safeParse(code).success).toBe(true);
    },
  );

  it.each(['', 'E1', '11.65', 'E11.65432', 'E11-65', 'diabetes', '99213'])(
    'rejects %s as an ICD-10-CM code',
    (code) => {
      expect(Icd10CmCode.safeParse(code).success).toBe(false);
    },
  );

  it('puts the dot back after the category', () => {
    expect(Icd10CmCode.parse(' e1165 ')).toBe('E11.65');
    expect(normaliseIcd10Cm('I10')).toBe('I10');
  });

  it.each(['99213', '0001F', '0075T', ' 83036 '])('accepts the CPT code %s', (code) => {
    expect(CptCode.safeParse(code).success).toBe(true);
  });

  it.each(['9921', '992133', 'E11.9', 'A1234', '9921X'])('rejects %s as a CPT code', (code) => {
    expect(CptCode.safeParse(code).success).toBe(false);
  });

  it('orders codes by specificity within their category', () => {
    expect(isMoreSpecific('E11.65', 'E11')).toBe(true);
    expect(isMoreSpecific('E11.65', 'E11.6')).toBe(true);
    expect(isMoreSpecific('E11.65', 'E11.9')).toBe(false);
    expect(isMoreSpecific('E11', 'E11.65')).toBe(false);
    expect(icd10CmCategory('E11.65')).toBe('E11');
  });

  it('normalises idempotently', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][0-9][0-9A-Za-z]\.?[0-9A-Za-z]{0,4}$/), (code) => {
        const once = normaliseIcd10Cm(code);
        expect(normaliseIcd10Cm(once)).toBe(once);
      }),
    );
  });
});
