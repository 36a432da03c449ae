/**
 * Finds specially protected material (psychotherapy notes, 42 CFR Part 2 substance-use records) from FHIR security
 * labels and note types, so it is categorised before any minimum-necessary filter or de-identification runs.
 */
import type { DataCategory } from '../identity/minimum-necessary.ts';
import type { CodeableConcept, Coding } from './fhir-r4-schemas.ts';

export type ProtectedCategory = Extract<DataCategory, 'psychotherapy' | 'substance-use'>;

/**
 * HL7 v3 ActCode sensitivity codes (ActInformationSensitivityPolicy) and the privacy-law code for Part 2.
 * PSY ("psychiatry disorder information sensitivity") is broader than HIPAA psychotherapy notes; we treat it as
 * psychotherapy so it stays excluded without consent (fail closed). Matched by code whatever the system says:
 * over-protecting a resource that a local code system happened to label "ETH" costs less than leaking one.
 */
export const PROTECTED_SECURITY_CODES: ReadonlyMap<string, ProtectedCategory> = new Map(
  Object.entries({
    PSYTHPN: 'psychotherapy',
    PSY: 'psychotherapy',
    ETH: 'substance-use',
    SUD: 'substance-use',
    ETHUD: 'substance-use',
    OPIOIDUD: 'substance-use',
    '42CFRPart2': 'substance-use',
  } satisfies Record<string, ProtectedCategory>),
);

/** Note type/category wording that marks a psychotherapy or Part 2 note even without a security label. */
const PSYCHOTHERAPY_WORDING = /psychotherap/i;
const SUBSTANCE_USE_WORDING = /42\s*CFR\s*Part\s*2|substance\s+use\s+disorder\s+(treatment|program|counsel)/i;

/**
 * One category per entry (the RecordEntry contract): psychotherapy wins when both apply. Either keeps the resource
 * from every role by default, but consent is per category, so a doubly labelled resource is only as protected as
 * the psychotherapy consent; carrying both needs a contract change (see the FHIR README section).
 */
function strongest(categories: Iterable<ProtectedCategory>): ProtectedCategory | undefined {
  let found: ProtectedCategory | undefined;
  for (const category of categories) {
    if (category === 'psychotherapy') return category;
    found = category;
  }
  return found;
}

export function categoryOfSecurityLabels(labels: readonly Coding[]): ProtectedCategory | undefined {
  return strongest(
    labels.flatMap((label) => {
      const category = label.code === undefined ? undefined : PROTECTED_SECURITY_CODES.get(label.code);
      return category ? [category] : [];
    }),
  );
}

/** DocumentReference type/category (and securityLabel) concepts: codes first, then the human wording. */
export function categoryOfNoteConcepts(concepts: readonly CodeableConcept[]): ProtectedCategory | undefined {
  const codings = concepts.flatMap((concept) => concept.coding ?? []);
  const byCode = categoryOfSecurityLabels(codings);
  if (byCode) return byCode;
  const wording = concepts.flatMap((concept) => [
    concept.text ?? '',
    ...(concept.coding ?? []).map((c) => c.display ?? ''),
  ]);
  if (wording.some((text) => PSYCHOTHERAPY_WORDING.test(text))) return 'psychotherapy';
  if (wording.some((text) => SUBSTANCE_USE_WORDING.test(text))) return 'substance-use';
  return undefined;
}

export function strongestProtected(
  ...categories: ReadonlyArray<ProtectedCategory | undefined>
): ProtectedCategory | undefined {
  return strongest(categories.filter((category): category is ProtectedCategory => category !== undefined));
}
