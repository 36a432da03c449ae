/**
 * A FHIR bundle as draft sources: one source per resource, cited by `ResourceType/id`, with the category the
 * extractor assigned (so the gateway's role filter and Part 2 / psychotherapy exclusions apply per resource).
 */
import type { AiSourceInput } from '../../ai/ai-gateway.ts';
import { extractRecord, type PatientRecord, type RecordSection } from '../../fhir/extract-record.ts';
import { parseFhirBundle } from '../../fhir/parse-fhir-bundle.ts';

/**
 * How many of the most recent entries of a section a draft uses: a Synthea bundle can hold thousands of
 * observations and encounters, and a pre-visit summary needs the latest ones (minimum necessary, and prompt size).
 * Sections not listed are used whole.
 */
export const RECENT_ENTRY_LIMITS: Readonly<Partial<Record<RecordSection, number>>> = {
  encounter: 5,
  result: 40,
  procedure: 15,
  immunization: 10,
  note: 5,
  billing: 10,
};

/** Newest first; undated entries after dated ones, in bundle order. */
function byRecency<T extends { readonly date?: string }>(entries: readonly T[]): T[] {
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      if (a.entry.date && b.entry.date && a.entry.date !== b.entry.date) return a.entry.date < b.entry.date ? 1 : -1;
      if (a.entry.date && !b.entry.date) return -1;
      if (!a.entry.date && b.entry.date) return 1;
      return a.index - b.index;
    })
    .map(({ entry }) => entry);
}

export interface RecordSourceOptions {
  /**
   * Whether the Patient resource (name, birth date, address, identifiers) is a source. A letter to a payer must name
   * the patient; a summary for the clinician need not, so it leaves them out (minimum necessary).
   */
  readonly includePatient: boolean;
}

/** The record's entries as sources: the most recent ones of each limited section, in the extractor's order. */
export function recordSources(record: PatientRecord, options: RecordSourceOptions): AiSourceInput[] {
  const kept = new Set<(typeof record.entries)[number]>();
  const sections = new Set(
    record.entries.map((entry) => entry.section).filter((section) => options.includePatient || section !== 'patient'),
  );
  for (const section of sections) {
    const entries = record.entries.filter((entry) => entry.section === section);
    const limit = RECENT_ENTRY_LIMITS[section];
    for (const entry of limit === undefined ? entries : byRecency(entries).slice(0, limit)) kept.add(entry);
  }
  return record.entries
    .filter((entry) => kept.has(entry) && entry.text.trim() !== '')
    .map((entry) => ({ sourceId: entry.sourceId, category: entry.category, text: entry.text }));
}

/** Parses and extracts a bundle; throws the FHIR parser's ValidationFailed (a path, never a value) when malformed. */
export function bundleSources(bundle: unknown, options: RecordSourceOptions): AiSourceInput[] {
  return recordSources(extractRecord(parseFhirBundle(bundle)), options);
}
