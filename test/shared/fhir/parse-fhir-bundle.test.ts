import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { extractRecord } from '../../../shared/fhir/extract-record.ts';
import { DEFAULT_FHIR_BUNDLE_LIMITS, parseFhirBundle } from '../../../shared/fhir/parse-fhir-bundle.ts';
import { FHIR_FIXTURES, type FhirFixtureName, loadFhirFixture, type RawBundle } from './fhir-fixtures.ts';

/** A value that must never appear in an error message, whatever field it was put in. */
const SECRET = 'Zebulon Quartermain 555-0123';

function thrownBy(action: () => unknown): ValidationFailed {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationFailed) return error;
    throw error;
  }
  throw new Error('expected parseFhirBundle to throw');
}

function resourceAt(bundle: RawBundle, index: number): Record<string, unknown> {
  const entry = bundle.entry[index];
  if (!entry) throw new Error(`fixture has no entry ${index}`);
  return entry.resource;
}

function indexOf(bundle: RawBundle, resourceType: string): number {
  const index = bundle.entry.findIndex((entry) => entry.resource.resourceType === resourceType);
  if (index < 0) throw new Error(`fixture has no ${resourceType}`);
  return index;
}

describe('parseFhirBundle', () => {
  it.each(Object.keys(FHIR_FIXTURES) as FhirFixtureName[])(
    'accepts the %s fixture and keeps every resource it reads',
    (name) => {
      const raw = loadFhirFixture(name);
      const bundle = parseFhirBundle(raw);

      expect(bundle.type).toBe('transaction');
      const ignored = Object.values(bundle.ignoredResources).reduce((sum, count) => sum + count, 0);
      expect(bundle.entry.length + ignored).toBe(raw.entry.length);
      expect(bundle.entry.map((entry) => entry.fullUrl)).toEqual(
        raw.entry
          .filter(
            (entry) => entry.resource.resourceType !== 'Organization' && entry.resource.resourceType !== 'Provenance',
          )
          .map((entry) => entry.fullUrl),
      );
    },
  );

  it('counts resource types it does not read instead of rejecting them', () => {
    const bundle = parseFhirBundle(loadFhirFixture('adult'));
    expect(bundle.ignoredResources).toEqual({ Organization: 1, Provenance: 1 });
  });

  it('accepts every bundle type a summary may come in, and an empty bundle', () => {
    for (const type of ['collection', 'transaction', 'searchset', 'batch', 'document']) {
      expect(parseFhirBundle({ resourceType: 'Bundle', type }).entry).toEqual([]);
    }
  });

  it.each([
    ['a string', 'not a bundle'],
    ['a number', 42],
    ['null', null],
    ['an array', [{ resourceType: 'Bundle' }]],
  ])('rejects %s at the root', (_label, input) => {
    const error = thrownBy(() => parseFhirBundle(input));
    expect(error.code).toBe('INVALID_FHIR_BUNDLE');
    expect(error.message).toBe('(root): expected a FHIR Bundle object');
  });

  it('rejects a resource that is not a Bundle, naming resourceType', () => {
    const error = thrownBy(() => parseFhirBundle({ resourceType: 'Patient', id: 'x', type: 'collection' }));
    expect(error.code).toBe('INVALID_FHIR_BUNDLE');
    expect(error.message).toContain('resourceType: not an allowed value');
  });

  it('rejects an unknown bundle type without echoing it', () => {
    const error = thrownBy(() => parseFhirBundle({ resourceType: 'Bundle', type: SECRET }));
    expect(error.message).toBe('type: not an allowed value');
    expect(error.message).not.toContain('Zebulon');
  });

  it('rejects an entry whose resource has no id, naming the path', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'Condition');
    delete resourceAt(raw, index).id;

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.code).toBe('INVALID_FHIR_BUNDLE');
    expect(error.message).toContain(`entry[${index}].resource.id: required`);
    expect(error.details).toMatchObject({ issues: [{ path: `entry[${index}].resource.id`, problem: 'required' }] });
  });

  it('rejects an entry without a resource', () => {
    const error = thrownBy(() =>
      parseFhirBundle({ resourceType: 'Bundle', type: 'batch', entry: [{ fullUrl: 'urn:uuid:1' }] }),
    );
    expect(error.message).toBe('entry[0].resource: required');
  });

  it('rejects an id that is not a FHIR id without echoing it', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'Observation');
    resourceAt(raw, index).id = SECRET;

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.message).toContain(`entry[${index}].resource.id: not a valid FHIR id`);
    expect(error.message).not.toContain('Zebulon');
    expect(JSON.stringify(error.details)).not.toContain('Zebulon');
  });

  it.each([
    ['free text', SECRET],
    ['an impossible calendar day', '2021-02-30'],
    ['a time without a zone', '2021-02-03T10:00:00'],
  ])('rejects a clinical date written as %s', (_label, value) => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'Condition');
    resourceAt(raw, index).onsetDateTime = value;

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.code).toBe('INVALID_FHIR_BUNDLE');
    expect(error.message).toBe(`entry[${index}].resource.onsetDateTime: not a valid FHIR date or dateTime`);
  });

  it('accepts partial FHIR dates (year, year-month)', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'Condition');
    resourceAt(raw, index).onsetDateTime = '2015-06';
    expect(() => parseFhirBundle(raw)).not.toThrow();
  });

  it('rejects a note whose base64 is malformed, naming the attachment path and not the content', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'DocumentReference');
    const resource = resourceAt(raw, index) as { content: Array<{ attachment: { data: string } }> };
    const first = resource.content[0];
    if (!first) throw new Error('fixture note has no content');
    first.attachment.data = `${SECRET}!!`;

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.message).toBe(`entry[${index}].resource.content[0].attachment.data: not valid base64`);
    expect(error.message).not.toContain('Zebulon');
  });

  it('rejects a text note that does not decode as UTF-8', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'DocumentReference');
    const resource = resourceAt(raw, index) as { content: Array<{ attachment: { data: string } }> };
    const first = resource.content[0];
    if (!first) throw new Error('fixture note has no content');
    first.attachment.data = Buffer.from([0xff, 0xfe, 0xfd, 0x41]).toString('base64');

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.message).toBe(
      `entry[${index}].resource.content[0].attachment.data: text attachment is not valid UTF-8`,
    );
  });

  it('rejects an attachment larger than the decoded-size limit', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'DocumentReference');
    const error = thrownBy(() => parseFhirBundle(raw, { ...DEFAULT_FHIR_BUNDLE_LIMITS, maxAttachmentBytes: 64 }));
    expect(error.message).toContain(
      `entry[${index}].resource.content[0].attachment.data: attachment larger than 64 bytes`,
    );
  });

  it('answers a multi-megabyte attachment with the size error, not a stack overflow', () => {
    const note = (data: string) => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'DocumentReference',
            id: 'n1',
            content: [{ attachment: { contentType: 'text/plain', data } }],
          },
        },
      ],
    });
    const large = Buffer.alloc(8 * 1_048_576, 65).toString('base64');

    expect(thrownBy(() => parseFhirBundle(note(large))).message).toBe(
      'entry[0].resource.content[0].attachment.data: attachment larger than 1048576 bytes',
    );
    expect(thrownBy(() => parseFhirBundle(note(`${large}*`))).message).toBe(
      'entry[0].resource.content[0].attachment.data: not valid base64',
    );
  });

  it('rejects more entries than the limit before validating any of them', () => {
    const raw = loadFhirFixture('pediatric');
    const error = thrownBy(() => parseFhirBundle(raw, { ...DEFAULT_FHIR_BUNDLE_LIMITS, maxEntries: 3 }));
    expect(error.code).toBe('INVALID_FHIR_BUNDLE');
    expect(error.message).toBe('entry: too many entries (max 3)');
  });

  it('rejects two resources with the same type and id (evidence ids must be unique)', () => {
    const raw = loadFhirFixture('pediatric');
    const index = indexOf(raw, 'Immunization');
    const copy = structuredClone(raw.entry[index]);
    if (!copy) throw new Error('fixture has no Immunization');
    raw.entry.push({ ...copy, fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001' });

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.message).toBe(
      `entry[${raw.entry.length - 1}].resource.id: duplicates the resource of entry[${index}]`,
    );
  });

  it('rejects two entries behind the same fullUrl', () => {
    const raw = loadFhirFixture('pediatric');
    const index = indexOf(raw, 'Immunization');
    const copy = structuredClone(raw.entry[index]);
    if (!copy) throw new Error('fixture has no Immunization');
    copy.resource.id = 'another-id';
    raw.entry.push(copy);

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.message).toBe(`entry[${raw.entry.length - 1}].fullUrl: duplicates the fullUrl of entry[${index}]`);
  });

  it('rejects a bundle with two Patient resources with its own code', () => {
    const raw = loadFhirFixture('adult');
    const second = loadFhirFixture('pediatric').entry[0];
    if (!second) throw new Error('fixture has no entries');
    raw.entry.push(second);

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.code).toBe('FHIR_BUNDLE_MULTIPLE_PATIENTS');
    expect(error.message).toBe(
      `entry[${raw.entry.length - 1}].resource: a second Patient; a bundle must cover one patient`,
    );
    expect(error.message).not.toContain('Samplechild');
  });

  it('rejects a bundle whose resources refer to another patient than its Patient', () => {
    const raw = loadFhirFixture('adult');
    const index = indexOf(raw, 'Observation');
    resourceAt(raw, index).subject = { reference: 'Patient/someone-else' };

    const error = thrownBy(() => parseFhirBundle(raw));
    expect(error.code).toBe('FHIR_BUNDLE_MULTIPLE_PATIENTS');
    expect(error.message).toBe(
      `entry[${index}].resource: refers to a different patient; a bundle must cover one patient`,
    );
  });

  it('reports several problems at once, each with its path', () => {
    const raw = loadFhirFixture('pediatric');
    const immunizations = raw.entry.flatMap((entry, index) =>
      entry.resource.resourceType === 'Immunization' ? [index] : [],
    );
    for (const index of immunizations) resourceAt(raw, index).occurrenceDateTime = 'soon';

    const error = thrownBy(() => parseFhirBundle(raw));
    for (const index of immunizations.slice(0, 5)) {
      expect(error.message).toContain(`entry[${index}].resource.occurrenceDateTime: not a valid FHIR date or dateTime`);
    }
  });

  it('never throws anything but ValidationFailed for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        try {
          parseFhirBundle(input);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationFailed);
          expect(['INVALID_FHIR_BUNDLE', 'FHIR_BUNDLE_MULTIPLE_PATIENTS']).toContain((error as ValidationFailed).code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but ValidationFailed when any part of a real-shaped bundle is replaced by arbitrary JSON, and extracts what it accepts', () => {
    const template = loadFhirFixture('behavioral');
    const paths = leafAndNodePaths(template);
    fc.assert(
      fc.property(fc.nat({ max: paths.length - 1 }), fc.jsonValue(), (pick, replacement) => {
        const mutated = structuredClone(template) as unknown;
        setAt(mutated, paths[pick] ?? [], replacement);
        let bundle: ReturnType<typeof parseFhirBundle> | undefined;
        try {
          bundle = parseFhirBundle(mutated);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationFailed);
        }
        // Whatever the parser accepts, extraction renders without throwing.
        if (bundle) expect(extractRecord(bundle).entries.length).toBe(bundle.entry.length);
      }),
      { numRuns: 300 },
    );
  });
});

type Path = Array<string | number>;

function leafAndNodePaths(value: unknown, prefix: Path = []): Path[] {
  const paths: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) paths.push(...leafAndNodePaths(item, [...prefix, index]));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...leafAndNodePaths(item, [...prefix, key]));
  }
  return paths;
}

function setAt(root: unknown, path: Path, replacement: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined) node[last] = replacement;
}
