/** The shapes of ICD-10-CM and CPT codes, checked before any claimed code is compared with the documentation. */
import { z } from 'zod';

/**
 * ICD-10-CM: a letter (any but U is a chapter letter; U07.1 is COVID-19), a digit, a digit or letter, then after
 * the dot up to four characters (placeholder `X` and 7th characters included), e.g. I10, E11.65, S52.521A, F32.A.
 */
export const ICD10CM_PATTERN = /^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$/;
/** CPT: five characters, four digits then a digit (Category I), F (Category II) or T (Category III), e.g. 99213. */
export const CPT_PATTERN = /^[0-9]{4}[0-9FT]$/;

/** Upper case, and the dot after the category put back when a code arrives without it (`E1165` -> `E11.65`). */
export function normaliseIcd10Cm(code: string): string {
  const compact = code.trim().toUpperCase().replace('.', '');
  return compact.length > 3 ? `${compact.slice(0, 3)}.${compact.slice(3)}` : compact;
}

export const Icd10CmCode = z
  .string()
  .max(10)
  .transform(normaliseIcd10Cm)
  .pipe(z.string().regex(ICD10CM_PATTERN))
  .meta({ description: 'An ICD-10-CM code, e.g. E11.65 (the dot may be omitted)' });

export const CptCode = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.string().regex(CPT_PATTERN))
  .meta({ description: 'A CPT code, e.g. 99213' });

/** The three-character category an ICD-10-CM code belongs to (`E11.65` -> `E11`). */
export function icd10CmCategory(code: string): string {
  return code.slice(0, 3);
}

/** True when `child` is a more specific code under `parent` (`E11.65` under `E11` or `E11.6`). */
export function isMoreSpecific(child: string, parent: string): boolean {
  const a = child.replace('.', '');
  const b = parent.replace('.', '');
  return a.length > b.length && a.startsWith(b);
}
