/** Loads the synthetic Synthea-shaped FHIR bundles in test/fixtures/fhir (see its README) for tests of any area. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FHIR_FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/fhir/', import.meta.url));

export const FHIR_FIXTURES = {
  adult: 'adult-hypertension-diabetes.json',
  behavioral: 'behavioral-health-protected.json',
  pediatric: 'pediatric-immunizations-billing.json',
} as const;

export type FhirFixtureName = keyof typeof FHIR_FIXTURES;

export interface RawEntry {
  fullUrl?: string;
  resource: { resourceType: string; id: string; [field: string]: unknown };
}

export interface RawBundle {
  resourceType: string;
  type: string;
  entry: RawEntry[];
  [field: string]: unknown;
}

/** A fresh parsed copy each call, so a test may mutate it. */
export function loadFhirFixture(name: FhirFixtureName): RawBundle {
  return JSON.parse(readFileSync(`${FHIR_FIXTURE_DIR}${FHIR_FIXTURES[name]}`, 'utf8')) as RawBundle;
}

export function listFhirFixtureFiles(): string[] {
  return readdirSync(FHIR_FIXTURE_DIR).filter((file) => file.endsWith('.json'));
}

/** The raw resource of a fixture by type and a predicate, e.g. the Condition whose code is 5602001. */
export function findResource(
  bundle: RawBundle,
  resourceType: string,
  predicate: (resource: RawEntry['resource']) => boolean = () => true,
): RawEntry['resource'] {
  const found = bundle.entry.find((entry) => entry.resource.resourceType === resourceType && predicate(entry.resource));
  if (!found) throw new Error(`fixture has no matching ${resourceType}`);
  return found.resource;
}

export function hasCode(code: string): (resource: RawEntry['resource']) => boolean {
  return (resource) => JSON.stringify(resource).includes(`"code":"${code}"`);
}
