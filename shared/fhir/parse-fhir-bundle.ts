/** Parses and validates a FHIR R4 Bundle (the subset the record summary reads); rejects malformed input without echoing it. */
import type { z } from 'zod';
import { ValidationFailed } from '../errors/domain-errors.ts';
import {
  type Attachment,
  type BUNDLE_TYPES,
  BundleFrame,
  base64DecodedLength,
  EntryFrame,
  isKnownResourceType,
  KNOWN_RESOURCE_SCHEMAS,
  type KnownResource,
  type Meta,
  stripBase64Whitespace,
} from './fhir-r4-schemas.ts';

export type { KnownResource } from './fhir-r4-schemas.ts';

export interface FhirBundleEntry {
  readonly fullUrl?: string;
  readonly resource: KnownResource;
}

export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly type: (typeof BUNDLE_TYPES)[number];
  /** Bundle-level security labels; they apply to every entry. */
  readonly meta?: z.infer<typeof Meta>;
  /** Entries holding a resource type we read, in bundle order. */
  readonly entry: readonly FhirBundleEntry[];
  /** Entries of other resource types (Organization, Provenance ...), accepted and counted, never read. */
  readonly ignoredResources: Readonly<Record<string, number>>;
}

export interface FhirBundleLimits {
  /** Synthea lifetime bundles reach a few thousand entries; beyond this we refuse rather than work unboundedly. */
  readonly maxEntries: number;
  /** Per attachment, after base64 decoding. */
  readonly maxAttachmentBytes: number;
}

export const DEFAULT_FHIR_BUNDLE_LIMITS: FhirBundleLimits = { maxEntries: 10_000, maxAttachmentBytes: 1_048_576 };

const CODE = 'INVALID_FHIR_BUNDLE';
const MAX_REPORTED_PROBLEMS = 5;

interface Problem {
  readonly path: string;
  readonly problem: string;
}

/** `['entry', 3, 'resource', 'id']` -> `entry[3].resource.id`; keys come from our schemas, indexes are numbers. */
function formatPath(path: readonly PropertyKey[]): string {
  let formatted = '';
  for (const key of path) {
    if (typeof key === 'number') formatted += `[${key}]`;
    else formatted += formatted === '' ? String(key) : `.${String(key)}`;
  }
  return formatted === '' ? '(root)' : formatted;
}

/** Describes a zod issue by its kind only; zod's own messages can carry option lists or lengths, never input here. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}`;
    case 'invalid_value':
      return 'not an allowed value';
    case 'invalid_format':
      return 'invalid format';
    case 'too_big':
      return issue.origin === 'array' ? `too many items (max ${String(issue.maximum)})` : 'too large';
    case 'too_small':
      return issue.origin === 'array' ? `too few items (min ${String(issue.minimum)})` : 'too small';
    case 'invalid_union':
      return 'does not match any allowed shape';
    case 'custom':
      // Our own refinement messages ("not valid base64"): fixed strings, never the value.
      return issue.message;
    default:
      return 'invalid';
  }
}

function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[]): Problem[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    problem: describeIssue(issue),
  }));
}

function fail(problems: readonly Problem[], code = CODE): never {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).map(({ path, problem }) => `${path}: ${problem}`);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  throw new ValidationFailed(code, `${shown.join('; ')}${more}`, {
    issues: problems.slice(0, 20).map(({ path, problem }) => ({ path, problem })),
  });
}

const TEXT_CONTENT_TYPE = /^text\/(plain|html)\b/i;

/** Checks sizes of every attachment and that text attachments decode as UTF-8, so extraction never has to fail. */
function attachmentProblems(attachment: Attachment, path: readonly PropertyKey[], limits: FhirBundleLimits): Problem[] {
  if (attachment.data === undefined) return [];
  const data = stripBase64Whitespace(attachment.data);
  if (base64DecodedLength(data) > limits.maxAttachmentBytes) {
    return [
      { path: formatPath([...path, 'data']), problem: `attachment larger than ${limits.maxAttachmentBytes} bytes` },
    ];
  }
  if (attachment.contentType && TEXT_CONTENT_TYPE.test(attachment.contentType)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(data, 'base64'));
    } catch {
      return [{ path: formatPath([...path, 'data']), problem: 'text attachment is not valid UTF-8' }];
    }
  }
  return [];
}

function attachmentsOf(resource: KnownResource): Array<{ attachment: Attachment; path: PropertyKey[] }> {
  if (resource.resourceType === 'DocumentReference') {
    return resource.content.map((content, index) => ({
      attachment: content.attachment,
      path: ['content', index, 'attachment'],
    }));
  }
  if (resource.resourceType === 'DiagnosticReport') {
    return (resource.presentedForm ?? []).map((attachment, index) => ({ attachment, path: ['presentedForm', index] }));
  }
  return [];
}

/** Where a resource names its patient (subject or patient); used to refuse bundles that mix patients. */
function patientReferenceOf(resource: KnownResource): string | undefined {
  const holder = resource as { subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  const reference = holder.subject?.reference ?? holder.patient?.reference;
  return typeof reference === 'string' ? reference : undefined;
}

/** Normalises `urn:uuid:…`, `Patient/x` and absolute URLs to `Patient/x`; non-patient references give undefined. */
function patientKey(reference: string, byFullUrl: ReadonlyMap<string, LocatedEntry>): string | undefined {
  const local = byFullUrl.get(reference);
  if (local) return local.resourceType === 'Patient' ? `Patient/${local.id}` : undefined;
  if (reference.startsWith('urn:')) return reference;
  // Real references are short; the cap keeps the pattern cheap on a hostile one (which then names no patient).
  if (reference.length > 1024) return undefined;
  const match = /(?:^|\/)Patient\/([^/?#]+)$/.exec(reference);
  return match ? `Patient/${match[1]}` : undefined;
}

/**
 * Validates `input` as a FHIR R4 Bundle of one patient and returns the resources we read.
 * Throws ValidationFailed('INVALID_FHIR_BUNDLE') naming the JSON path and problem, or
 * ValidationFailed('FHIR_BUNDLE_MULTIPLE_PATIENTS') when more than one patient appears; messages never echo values.
 */
export function parseFhirBundle(input: unknown, limits: FhirBundleLimits = DEFAULT_FHIR_BUNDLE_LIMITS): FhirBundle {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail([{ path: '(root)', problem: 'expected a FHIR Bundle object' }]);
  }
  const frame = BundleFrame.safeParse(input, { reportInput: true });
  if (!frame.success) fail(issuesOf(frame.error, []));
  const rawEntries = frame.data.entry ?? [];
  if (rawEntries.length > limits.maxEntries) {
    fail([{ path: 'entry', problem: `too many entries (max ${limits.maxEntries})` }]);
  }

  const problems: Problem[] = [];
  const entries: FhirBundleEntry[] = [];
  const subjects: Array<{ index: number; resource: KnownResource }> = [];
  const ignoredResources: Record<string, number> = {};
  const seen = new Map<string, number>();
  const seenFullUrls = new Map<string, number>();
  const located: LocatedEntry[] = [];
  for (const [index, rawEntry] of rawEntries.entries()) {
    const entryFrame = EntryFrame.safeParse(rawEntry, { reportInput: true });
    if (!entryFrame.success) {
      problems.push(...issuesOf(entryFrame.error, ['entry', index]));
      continue;
    }
    const { resourceType, id } = entryFrame.data.resource;
    const sourceId = `${resourceType}/${id}`;
    const first = seen.get(sourceId);
    if (first !== undefined) {
      problems.push({ path: `entry[${index}].resource.id`, problem: `duplicates the resource of entry[${first}]` });
      continue;
    }
    seen.set(sourceId, index);
    const { fullUrl } = entryFrame.data;
    const firstUrl = fullUrl === undefined ? undefined : seenFullUrls.get(fullUrl);
    if (firstUrl !== undefined) {
      // References resolve through fullUrl; two resources behind one would make evidence ambiguous.
      problems.push({ path: `entry[${index}].fullUrl`, problem: `duplicates the fullUrl of entry[${firstUrl}]` });
      continue;
    }
    if (fullUrl !== undefined) seenFullUrls.set(fullUrl, index);
    located.push({ index, fullUrl: entryFrame.data.fullUrl, resourceType, id });
    if (!isKnownResourceType(resourceType)) {
      ignoredResources[resourceType] = (ignoredResources[resourceType] ?? 0) + 1;
      continue;
    }
    const parsed = KNOWN_RESOURCE_SCHEMAS[resourceType].safeParse(entryFrame.data.resource, { reportInput: true });
    if (!parsed.success) {
      problems.push(...issuesOf(parsed.error, ['entry', index, 'resource']));
      continue;
    }
    const resource = parsed.data as KnownResource;
    for (const { attachment, path } of attachmentsOf(resource)) {
      problems.push(...attachmentProblems(attachment, ['entry', index, 'resource', ...path], limits));
    }
    entries.push(fullUrl === undefined ? { resource } : { fullUrl, resource });
    subjects.push({ index, resource });
  }
  if (problems.length > 0) fail(problems);

  assertOnePatient(located, subjects);
  return {
    resourceType: 'Bundle',
    type: frame.data.type,
    ...(frame.data.meta ? { meta: frame.data.meta } : {}),
    entry: entries,
    ignoredResources,
  };
}

interface LocatedEntry {
  readonly index: number;
  readonly fullUrl: string | undefined;
  readonly resourceType: string;
  readonly id: string;
}

/** A summary is about one patient: refuse a second Patient resource or references to two different patients. */
function assertOnePatient(
  located: readonly LocatedEntry[],
  subjects: ReadonlyArray<{ index: number; resource: KnownResource }>,
): void {
  const patientEntries = located.filter((entry) => entry.resourceType === 'Patient');
  if (patientEntries.length > 1) {
    fail(
      [
        {
          path: `entry[${String(patientEntries[1]?.index)}].resource`,
          problem: 'a second Patient; a bundle must cover one patient',
        },
      ],
      'FHIR_BUNDLE_MULTIPLE_PATIENTS',
    );
  }
  const byFullUrl = new Map(located.flatMap((entry) => (entry.fullUrl ? [[entry.fullUrl, entry] as const] : [])));
  const patients = new Set(patientEntries.map((entry) => `Patient/${entry.id}`));
  for (const { index, resource } of subjects) {
    const reference = patientReferenceOf(resource);
    const key = reference === undefined ? undefined : patientKey(reference, byFullUrl);
    if (key === undefined) continue;
    patients.add(key);
    if (patients.size > 1) {
      fail(
        [
          {
            path: `entry[${index}].resource`,
            problem: 'refers to a different patient; a bundle must cover one patient',
          },
        ],
        'FHIR_BUNDLE_MULTIPLE_PATIENTS',
      );
    }
  }
}
