import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../../shared/fhir/extract-record.ts';
import { parseFhirBundle } from '../../../shared/fhir/parse-fhir-bundle.ts';
import { DATA_CATEGORIES } from '../../../shared/identity/minimum-necessary.ts';

/**
 * The evaluation set of real Synthea bundles, `../shared/data/fhir/` relative to the repository, when present;
 * CAG_FHIR_DATA_DIR (ending in `/`) points the block at another folder of bundles.
 */
const SHARED_FHIR_DIR =
  process.env.CAG_FHIR_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data/fhir/', import.meta.url));
const sharedBundles = existsSync(SHARED_FHIR_DIR)
  ? readdirSync(SHARED_FHIR_DIR).filter((file) => file.endsWith('.json'))
  : [];

/** Synthea lifetime bundles can be large; this block checks shape handling, not the request-size limits. */
const GENEROUS_LIMITS = { maxEntries: 200_000, maxAttachmentBytes: 16 * 1_048_576 };

describe('FHIR bundles in ../shared/data/fhir', () => {
  if (sharedBundles.length === 0) {
    it.skip(`skipped: ${SHARED_FHIR_DIR}*.json is absent on this machine; only test/fixtures/fhir ran`, () => {});
    return;
  }

  it.each(sharedBundles)('parses %s and extracts entries whose evidence ids exist in the bundle', (file) => {
    const raw = JSON.parse(readFileSync(`${SHARED_FHIR_DIR}${file}`, 'utf8')) as {
      entry?: Array<{ resource?: { resourceType?: string; id?: string } }>;
    };
    const ids = new Set((raw.entry ?? []).map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`));

    const { entries } = extractRecord(parseFhirBundle(raw, GENEROUS_LIMITS));

    // Synthea also writes hospital/practitioner bundles without a Patient; a patient bundle must yield entries.
    const hasPatient = (raw.entry ?? []).some((entry) => entry.resource?.resourceType === 'Patient');
    if (hasPatient) expect(entries.some((entry) => entry.section === 'patient')).toBe(true);
    expect(new Set(entries.map((entry) => entry.sourceId)).size).toBe(entries.length);
    for (const entry of entries) {
      expect(ids.has(entry.sourceId)).toBe(true);
      expect(DATA_CATEGORIES).toContain(entry.category);
    }
  });
});
