import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverCorpora, jsonlEntityLoader } from '../../bench/deid/corpus-loaders.ts';
import { mapForeignLabel } from '../../bench/deid/foreign-label-types.ts';

describe('mapForeignLabel', () => {
  it('maps i2b2, Presidio and Comprehend labels onto our types and keeps states out of PHI', () => {
    expect(mapForeignLabel('DOCTOR')).toEqual({ kind: 'mapped', type: 'NAME' });
    expect(mapForeignLabel('medicalrecord')).toEqual({ kind: 'mapped', type: 'MRN' });
    expect(mapForeignLabel('PHONE_OR_FAX')).toEqual({ kind: 'mapped', type: 'PHONE' });
    expect(mapForeignLabel('location-other')).toEqual({ kind: 'mapped', type: 'LOCATION' });
    expect(mapForeignLabel('ZIP')).toEqual({ kind: 'mapped', type: 'ZIP' });
    expect(mapForeignLabel('STATE')).toEqual({ kind: 'not-phi' });
    expect(mapForeignLabel('FAVOURITE_COLOUR')).toEqual({ kind: 'unknown' });
  });
});

describe('corpus discovery', () => {
  let root: string;
  let data: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'deid-corpora-'));
    data = join(root, 'data');
    mkdirSync(join(data, 'fhir'), { recursive: true });
    mkdirSync(join(data, 'labelled'), { recursive: true });
    writeFileSync(join(data, 'README.md'), '# data');
    writeFileSync(join(data, 'fhir', 'bundle-1.json'), '{"resourceType":"Bundle"}');
    writeFileSync(
      join(data, 'labelled', 'notes.jsonl'),
      [
        JSON.stringify({
          id: 7,
          text: 'Pt John Roe of Ohio',
          entities: [
            { start: 3, end: 11, label: 'PATIENT' },
            { start: 15, end: 19, label: 'STATE' },
          ],
        }),
        JSON.stringify({
          text: 'MRN 123',
          entities: [
            { begin: 4, end: 7, type: 'MEDICALRECORD' },
            { begin: 4, end: 70, type: 'IDNUM' },
            { begin: 0, end: 3, type: 'MOOD' },
          ],
        }),
        'not json',
      ].join('\n'),
    );
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads labelled JSONL with foreign label names, reporting what it dropped without quoting text', async () => {
    const { corpora } = await discoverCorpora(data, root);

    expect(corpora).toHaveLength(1);
    const [corpus] = corpora;
    expect(corpus?.synthetic).toBe(false);
    expect(corpus?.notes.map((note) => note.entities)).toEqual([
      [{ begin: 3, end: 11, type: 'NAME' }],
      [{ begin: 4, end: 7, type: 'MRN' }],
    ]);
    expect(corpus?.remarks.join('\n')).toMatch(/1 lines are not labelled notes/);
    expect(corpus?.remarks.join('\n')).toMatch(/MOOD \(1\)/);
    expect(corpus?.remarks.join('\n')).not.toMatch(/John|Roe/);
  });

  it('names each folder no loader can read instead of silently ignoring it', async () => {
    const { notices } = await discoverCorpora(data, root);

    expect(notices).toEqual([expect.stringMatching(/^data\/fhir: no corpus loader reads it \(1 \.json\)/)]);
  });

  it('says so when the data folder holds documentation only', async () => {
    rmSync(join(data, 'fhir'), { recursive: true });
    rmSync(join(data, 'labelled'), { recursive: true });

    const { corpora, notices } = await discoverCorpora(data, root);

    expect(corpora).toEqual([]);
    expect(notices).toEqual(['data: no data files yet (documentation only); only the dev set is used']);
  });

  it('reports a missing data folder', async () => {
    const { corpora, notices } = await discoverCorpora(join(root, 'absent'), root);

    expect(corpora).toEqual([]);
    expect(notices).toEqual([expect.stringMatching(/absent: not found/)]);
  });

  it('does not claim JSONL that holds something other than labelled notes', async () => {
    const other = join(data, 'events.jsonl');
    writeFileSync(other, '{"event":"login"}\n');

    expect(await jsonlEntityLoader.claims(other)).toBe(false);
  });
});
