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
 * Every protected category that applies, never just one: consent is recorded per category, so a resource that is
 * both psychotherapy and Part 2 material must not be reduced to either (the extractor withholds it instead).
 */
export type ProtectedCategories = ReadonlySet<ProtectedCategory>;

export function categoriesOfSecurityLabels(labels: readonly Coding[]): Set<ProtectedCategory> {
  const found = new Set<ProtectedCategory>();
  for (const label of labels) {
    const category = label.code === undefined ? undefined : PROTECTED_SECURITY_CODES.get(label.code);
    if (category) found.add(category);
  }
  return found;
}

/**
 * DocumentReference type/category (and securityLabel) concepts: codes and the human wording together, so a note
 * coded Part 2 whose type reads "psychotherapy note" carries both categories (fail closed).
 */
export function categoriesOfNoteConcepts(concepts: readonly CodeableConcept[]): Set<ProtectedCategory> {
  const found = categoriesOfSecurityLabels(concepts.flatMap((concept) => concept.coding ?? []));
  const wording = concepts.flatMap((concept) => [
    concept.text ?? '',
    ...(concept.coding ?? []).map((c) => c.display ?? ''),
  ]);
  if (wording.some((text) => PSYCHOTHERAPY_WORDING.test(text))) found.add('psychotherapy');
  if (wording.some((text) => SUBSTANCE_USE_WORDING.test(text))) found.add('substance-use');
  return found;
}
