/** Turns a parsed FHIR Bundle into readable, categorised record entries, each traceable to its source resource. */
import type { DataCategory } from '../identity/minimum-necessary.ts';
import type { KnownResource, Reference } from './fhir-r4-schemas.ts';
import type { FhirBundle } from './parse-fhir-bundle.ts';
import {
  categoriesOfNoteConcepts,
  categoriesOfSecurityLabels,
  type ProtectedCategories,
  type ProtectedCategory,
} from './protected-category.ts';
import { type RecordSection, referenceLabel, renderResource } from './render-resource.ts';

export type { RecordSection } from './render-resource.ts';

/** Section order in a record: who, what they have, what they take, what was found and done, then notes and billing. */
export const RECORD_SECTIONS: readonly RecordSection[] = [
  'patient',
  'problem',
  'allergy',
  'medication',
  'result',
  'procedure',
  'immunization',
  'care-plan',
  'encounter',
  'note',
  'billing',
];

export interface RecordEntry {
  /** Evidence id: `${resourceType}/${id}`, unique in the bundle. */
  readonly sourceId: string;
  readonly resourceType: string;
  readonly section: RecordSection;
  /**
   * 'psychotherapy' / 'substance-use' when the resource is labelled so, whatever its type. A resource that is both
   * never becomes an entry (see PatientRecord.skipped.protected): one category cannot carry two consents.
   */
  readonly category: DataCategory;
  /** ISO date of the clinical fact when known. */
  readonly date?: string;
  /** Readable one-paragraph rendering; MAY CONTAIN PHI (de-identified later by the AI gateway). */
  readonly text: string;
}

export interface PatientRecord {
  readonly entries: readonly RecordEntry[];
  /**
   * What was accepted but not rendered: other resource types by name, attachments not readable as text, and
   * `protected`: resources withheld whole because they are both psychotherapy and Part 2 material (consent is per
   * category, so no single consent may release them; their attachments are not counted, they are never read).
   */
  readonly skipped?: {
    readonly resources: Readonly<Record<string, number>>;
    readonly attachments: number;
    readonly protected: number;
  };
}

const sourceIdOf = (resource: KnownResource): string => `${resource.resourceType}/${resource.id}`;

const MAX_REFERENCE_LENGTH = 1024;

/** Resolves `urn:uuid:` fullUrls, relative `Type/id` and absolute `…/Type/id` references inside the bundle. */
class BundleIndex {
  private readonly byKey = new Map<string, KnownResource>();

  constructor(bundle: FhirBundle) {
    for (const { fullUrl, resource } of bundle.entry) {
      this.byKey.set(sourceIdOf(resource), resource);
      if (fullUrl) this.byKey.set(fullUrl, resource);
    }
  }

  resolve(reference: Reference | undefined): KnownResource | undefined {
    const target = reference?.reference;
    if (!target) return undefined;
    const direct = this.byKey.get(target);
    if (direct) return direct;
    // Real references are short; the cap keeps the unanchored pattern linear on a hostile one.
    if (target.length > MAX_REFERENCE_LENGTH) return undefined;
    const match = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(target);
    return match?.[1] ? this.byKey.get(match[1]) : undefined;
  }
}

/**
 * The encounter a resource was recorded in: under 42 CFR Part 2 (and for psychotherapy sessions) the notes, results
 * and orders of a protected visit are protected records too, whatever their own labels say.
 */
function encounterReferences(resource: KnownResource): readonly Reference[] {
  if (resource.resourceType === 'DocumentReference') return resource.context?.encounter ?? [];
  const { encounter } = resource as { readonly encounter?: Reference };
  return encounter ? [encounter] : [];
}

/**
 * References that say what a resource is about, or where it was recorded: treating a Part 2 condition makes the
 * treatment Part 2 material, and so does being part of a Part 2 visit.
 */
function aboutReferences(resource: KnownResource): readonly Reference[] {
  return [...encounterReferences(resource), ...reasonReferences(resource)];
}

function reasonReferences(resource: KnownResource): readonly Reference[] {
  switch (resource.resourceType) {
    case 'Encounter':
      return [
        ...(resource.reasonReference ?? []),
        ...(resource.diagnosis ?? []).flatMap((item) => (item.condition ? [item.condition] : [])),
      ];
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'Procedure':
      return resource.reasonReference ?? [];
    case 'Observation':
      return resource.focus ?? [];
    case 'DiagnosticReport':
      return resource.result ?? [];
    case 'CarePlan':
      return resource.addresses ?? [];
    case 'Claim':
    case 'ExplanationOfBenefit':
      return (resource.diagnosis ?? []).flatMap((item) => (item.diagnosisReference ? [item.diagnosisReference] : []));
    default:
      return [];
  }
}

/** Labels on the resource itself (and the bundle), plus note types for DocumentReference. */
function labelledCategories(resource: KnownResource, bundleLabels: ProtectedCategories): Set<ProtectedCategory> {
  const found = new Set([...bundleLabels, ...categoriesOfSecurityLabels(resource.meta?.security ?? [])]);
  if (resource.resourceType !== 'DocumentReference') return found;
  const note = categoriesOfNoteConcepts([
    ...(resource.securityLabel ?? []),
    ...(resource.type ? [resource.type] : []),
    ...(resource.category ?? []),
  ]);
  for (const category of note) found.add(category);
  return found;
}

/**
 * Every protected category of each resource: labels first, then the union inherited through "about" references
 * until nothing changes (sets only grow, so it ends; fail closed). Resources with none are absent.
 */
function protectedCategories(bundle: FhirBundle, index: BundleIndex): Map<string, Set<ProtectedCategory>> {
  const bundleLabels = categoriesOfSecurityLabels(bundle.meta?.security ?? []);
  const categories = new Map<string, Set<ProtectedCategory>>();
  for (const { resource } of bundle.entry) {
    const found = labelledCategories(resource, bundleLabels);
    if (found.size > 0) categories.set(sourceIdOf(resource), found);
  }
  for (let changed = true, pass = 0; changed && pass <= bundle.entry.length; pass += 1) {
    changed = false;
    for (const { resource } of bundle.entry) {
      const sourceId = sourceIdOf(resource);
      for (const reference of aboutReferences(resource)) {
        const target = index.resolve(reference);
        for (const category of (target && categories.get(sourceIdOf(target))) ?? []) {
          const own = categories.get(sourceId) ?? new Set<ProtectedCategory>();
          if (own.has(category)) continue;
          own.add(category);
          categories.set(sourceId, own);
          changed = true;
        }
      }
    }
  }
  return categories;
}

function sortKey(date: string | undefined): number {
  if (date === undefined) return Number.NEGATIVE_INFINITY;
  const time = Date.parse(date);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * One entry per resource we read, grouped by section (RECORD_SECTIONS order) and newest first within a section.
 * A resource labelled (or about something labelled) psychotherapy or substance-use gets that category whatever its
 * type. A resource that is both is withheld whole and counted in `skipped.protected`: consent is per category, so
 * either category alone would let one consent release the other's material. Text from a protected resource never
 * appears inside another resource's entry unless that entry has its one and only category (so a doubly protected
 * resource is "(restricted record withheld)" everywhere).
 */
export function extractRecord(bundle: FhirBundle): PatientRecord {
  const index = new BundleIndex(bundle);
  const protectedBySource = protectedCategories(bundle, index);
  let skippedAttachments = 0;
  let skippedProtected = 0;
  const entryResources = bundle.entry.flatMap(({ resource }) => {
    if (resource.resourceType === 'Medication') return [];
    if ((protectedBySource.get(sourceIdOf(resource))?.size ?? 0) > 1) {
      skippedProtected += 1;
      return [];
    }
    return [resource];
  });
  const entries = entryResources.map((resource): RecordEntry => {
    const sourceId = sourceIdOf(resource);
    // At most one here: resources with two were withheld above.
    const [ownProtection] = protectedBySource.get(sourceId) ?? [];
    const labels = {
      label(reference: Reference | undefined): string | undefined {
        const target = index.resolve(reference);
        if (!target) return reference?.display;
        const targetProtection = protectedBySource.get(sourceIdOf(target)) ?? [];
        if ([...targetProtection].some((category) => category !== ownProtection)) {
          return '(restricted record withheld)';
        }
        return referenceLabel(target) ?? reference?.display;
      },
    };
    const rendered = renderResource(resource, labels);
    skippedAttachments += rendered.skippedAttachments;
    return {
      sourceId,
      resourceType: resource.resourceType,
      section: rendered.section,
      category: ownProtection ?? rendered.baseCategory,
      ...(rendered.date ? { date: rendered.date } : {}),
      text: rendered.text,
    };
  });
  entries.sort(
    (left, right) =>
      RECORD_SECTIONS.indexOf(left.section) - RECORD_SECTIONS.indexOf(right.section) ||
      sortKey(right.date) - sortKey(left.date) ||
      (left.sourceId < right.sourceId ? -1 : left.sourceId > right.sourceId ? 1 : 0),
  );
  return {
    entries,
    skipped: { resources: bundle.ignoredResources, attachments: skippedAttachments, protected: skippedProtected },
  };
}
