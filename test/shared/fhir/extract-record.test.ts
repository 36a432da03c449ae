import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../../shared/fhir/attachment-text.ts';
import { extractRecord, RECORD_SECTIONS, type RecordEntry } from '../../../shared/fhir/extract-record.ts';
import { parseFhirBundle } from '../../../shared/fhir/parse-fhir-bundle.ts';
import { SPECIALLY_PROTECTED } from '../../../shared/identity/minimum-necessary.ts';
import {
  FHIR_FIXTURES,
  type FhirFixtureName,
  findResource,
  hasCode,
  loadFhirFixture,
  type RawBundle,
  type RawEntry,
} from './fhir-fixtures.ts';

const READ_TYPES = new Set([
  'Patient',
  'Encounter',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Observation',
  'Procedure',
  'DiagnosticReport',
  'DocumentReference',
  'Immunization',
  'CarePlan',
  'Claim',
  'ExplanationOfBenefit',
]);

function recordOf(raw: RawBundle) {
  return extractRecord(parseFhirBundle(raw));
}

function entryFor(entries: readonly RecordEntry[], resource: { resourceType: string; id: string }): RecordEntry {
  const entry = entries.find((candidate) => candidate.sourceId === `${resource.resourceType}/${resource.id}`);
  if (!entry) throw new Error('no record entry for that resource');
  return entry;
}

describe('extractRecord', () => {
  describe.each(Object.keys(FHIR_FIXTURES) as FhirFixtureName[])('on the %s fixture', (name) => {
    it('gives each resource it reads exactly one entry whose sourceId is resourceType/id and exists in the bundle', () => {
      const raw = loadFhirFixture(name);
      const { entries } = recordOf(raw);

      const inBundle = raw.entry.map((entry) => `${entry.resource.resourceType}/${entry.resource.id}`);
      const read = raw.entry.filter((entry) => READ_TYPES.has(entry.resource.resourceType));
      expect(entries).toHaveLength(read.length);
      expect(new Set(entries.map((entry) => entry.sourceId)).size).toBe(entries.length);
      for (const entry of entries) {
        expect(inBundle).toContain(entry.sourceId);
        expect(entry.sourceId.startsWith(`${entry.resourceType}/`)).toBe(true);
        expect(entry.text.length).toBeGreaterThan(10);
      }
    });

    it('withholds nothing as doubly protected when each resource carries at most one protected category', () => {
      expect(recordOf(loadFhirFixture(name)).skipped?.protected).toBe(0);
    });

    it('orders sections as RECORD_SECTIONS and entries newest first within a section', () => {
      const { entries } = recordOf(loadFhirFixture(name));
      const sectionIndexes = entries.map((entry) => RECORD_SECTIONS.indexOf(entry.section));
      expect(sectionIndexes).toEqual([...sectionIndexes].sort((left, right) => left - right));
      for (const [index, entry] of entries.entries()) {
        const next = entries[index + 1];
        if (!next || next.section !== entry.section || !entry.date || !next.date) continue;
        expect(Date.parse(entry.date)).toBeGreaterThanOrEqual(Date.parse(next.date));
      }
    });
  });

  describe('on an adult with hypertension and type 2 diabetes', () => {
    const raw = loadFhirFixture('adult');
    const { entries } = recordOf(raw);
    const entry = (resourceType: string, code?: string) =>
      entryFor(entries, findResource(raw, resourceType, code ? hasCode(code) : undefined));

    it('maps each resource type to its section and data category', () => {
      expect(entry('Patient')).toMatchObject({ section: 'patient', category: 'demographics' });
      expect(entry('Condition', '44054006')).toMatchObject({ section: 'problem', category: 'clinical' });
      expect(entry('MedicationRequest', '314076')).toMatchObject({ section: 'medication', category: 'medications' });
      expect(entry('AllergyIntolerance')).toMatchObject({ section: 'allergy', category: 'clinical' });
      expect(entry('Observation', '4548-4')).toMatchObject({ section: 'result', category: 'labs' });
      expect(entry('Observation', '85354-9')).toMatchObject({ section: 'result', category: 'clinical' });
      expect(entry('Procedure')).toMatchObject({ section: 'procedure', category: 'clinical' });
      expect(entry('DiagnosticReport', '57698-3')).toMatchObject({ section: 'result', category: 'labs' });
      expect(entry('DiagnosticReport', '34117-2')).toMatchObject({ section: 'note', category: 'notes' });
      expect(entry('DocumentReference')).toMatchObject({ section: 'note', category: 'notes' });
      expect(entry('CarePlan')).toMatchObject({ section: 'care-plan', category: 'clinical' });
      expect(entry('Encounter', '162673000')).toMatchObject({ section: 'encounter', category: 'clinical' });
    });

    it('renders codes with their system, values with units, ranges and interpretation', () => {
      const a1c = entryFor(
        entries,
        findResource(
          raw,
          'Observation',
          (resource) => hasCode('4548-4')(resource) && JSON.stringify(resource).includes('7.9'),
        ),
      );
      expect(a1c.text).toContain('Hemoglobin A1c/Hemoglobin.total in Blood (LOINC 4548-4)');
      expect(a1c.text).toContain('7.9 % (interpretation High; reference range 4 % to 5.6 %)');
      expect(a1c.date).toBe('2024-03-12T09:10:00-05:00');
      expect(entry('Observation', '85354-9').text).toContain(
        'Systolic blood pressure (LOINC 8480-6) 148 mm[Hg], Diastolic blood pressure (LOINC 8462-4) 92 mm[Hg]',
      );
      expect(entry('Condition', '59621000').text).toContain('Essential hypertension (disorder) (SNOMED CT 59621000)');
      expect(entry('Condition', '59621000').text).toContain('clinical status active');
    });

    it('renders medications with dosage and the condition they treat, resolved through urn:uuid references', () => {
      const metformin = entry('MedicationRequest', '860975').text;
      expect(metformin).toContain('(RxNorm 860975)');
      expect(metformin).toContain('2 time(s) per day');
      expect(metformin).toContain('reason Diabetes mellitus type 2 (disorder) (SNOMED CT 44054006)');
    });

    it('lists a lab report with its result observations', () => {
      expect(entry('DiagnosticReport', '57698-3').text).toContain(
        'results Cholesterol [Mass/volume] in Serum or Plasma (LOINC 2093-3) 212 mg/dL',
      );
    });

    it('decodes the base64 progress note and keeps its PHI for the de-identifier, naming its encounter', () => {
      const note = entry('DocumentReference').text;
      expect(note).toContain('Avery Testperson');
      expect(note).toContain('555-0142');
      expect(note).toContain('encounter General examination of patient (procedure)');
      const encoded = /"data":"([^"]{24})/.exec(JSON.stringify(findResource(raw, 'DocumentReference')))?.[1];
      expect(encoded).toHaveLength(24);
      expect(note).not.toContain(encoded);
    });

    it('shows the medical record number but never the SSN Synthea puts in Patient.identifier', () => {
      const patient = entry('Patient').text;
      expect(patient).toContain('Avery Quinn Testperson');
      expect(patient).toContain('MRN-TEST-000123');
      expect(patient).not.toContain('999-00-0000');
    });

    it('reports the resource types it ignored', () => {
      expect(recordOf(raw).skipped?.resources).toEqual({ Organization: 1, Provenance: 1 });
    });
  });

  describe('on a bundle with psychotherapy and 42 CFR Part 2 material', () => {
    const raw = loadFhirFixture('behavioral');
    const record = recordOf(raw);
    const { entries } = record;
    const sud = findResource(raw, 'Condition', hasCode('5602001'));

    it('gives a PSYTHPN-labelled note the psychotherapy category', () => {
      const note = entryFor(entries, findResource(raw, 'DocumentReference', hasCode('PSYTHPN')));
      expect(note).toMatchObject({ section: 'note', category: 'psychotherapy' });
    });

    it('recognises a psychotherapy note by its type even without a security label', () => {
      const note = entryFor(
        entries,
        findResource(raw, 'DocumentReference', (resource) =>
          JSON.stringify(resource).includes('"text":"Psychotherapy note"'),
        ),
      );
      expect(note.category).toBe('psychotherapy');
    });

    it('gives an ETH / 42CFRPart2-labelled condition the substance-use category, whatever its type', () => {
      expect(entryFor(entries, sud)).toMatchObject({ section: 'problem', category: 'substance-use' });
    });

    it('gives a note labelled through DocumentReference.securityLabel the substance-use category', () => {
      const note = entryFor(
        entries,
        findResource(raw, 'DocumentReference', (resource) => 'securityLabel' in resource),
      );
      expect(note.category).toBe('substance-use');
    });

    it('extends the label to the encounter, prescription and claim that are about the labelled condition', () => {
      expect(entryFor(entries, findResource(raw, 'Encounter', hasCode('313076006'))).category).toBe('substance-use');
      expect(entryFor(entries, findResource(raw, 'MedicationRequest', hasCode('1010600'))).category).toBe(
        'substance-use',
      );
      expect(
        entryFor(
          entries,
          findResource(raw, 'Claim', (resource) => JSON.stringify(resource).includes(sud.id)),
        ).category,
      ).toBe('substance-use');
    });

    it('leaves the ordinary record in its ordinary categories', () => {
      expect(entryFor(entries, findResource(raw, 'Condition', hasCode('59621000'))).category).toBe('clinical');
      expect(entryFor(entries, findResource(raw, 'MedicationRequest', hasCode('197361'))).category).toBe('medications');
      expect(entryFor(entries, findResource(raw, 'Encounter', hasCode('185349003'))).category).toBe('clinical');
      expect(
        entryFor(
          entries,
          findResource(raw, 'Claim', (resource) => !JSON.stringify(resource).includes(sud.id)),
        ).category,
      ).toBe('billing');
    });

    it('never lets protected text into an entry of an ordinary category', () => {
      const ordinary = entries.filter((entry) => !SPECIALLY_PROTECTED.includes(entry.category));
      expect(ordinary.length).toBeGreaterThan(5);
      for (const entry of ordinary) {
        expect(entry.text).not.toMatch(/opioid|buprenorphine|substance use|transference|grief/i);
      }
      // A letter written in the Part 2 encounter is a record of that visit, so it is Part 2 material itself.
      const letter = entryFor(entries, findResource(raw, 'DocumentReference', hasCode('51852-2')));
      expect(letter.category).toBe('substance-use');
    });

    it('strips markup from an HTML note and skips (and counts) a PDF it cannot read', () => {
      const htmlNote = entryFor(
        entries,
        findResource(raw, 'DocumentReference', (resource) => JSON.stringify(resource).includes('text/html')),
      );
      expect(htmlNote.text).toContain('Visit 2024-05-02: hypertension & follow-up. BP 136/86. Continue amlodipine.');
      expect(htmlNote.text).not.toMatch(/<p>|color:red/);
      expect(record.skipped?.attachments).toBe(1);
    });
  });

  describe('on a pediatric bundle', () => {
    const raw = loadFhirFixture('pediatric');
    const { entries } = recordOf(raw);

    it('lists immunizations newest first with their CVX codes', () => {
      const immunizations = entries.filter((entry) => entry.section === 'immunization');
      expect(immunizations).toHaveLength(5);
      expect(immunizations.every((entry) => entry.category === 'clinical')).toBe(true);
      expect(immunizations.at(-1)?.text).toContain('Influenza, seasonal, injectable, preservative free (CVX 140)');
      expect(immunizations.map((entry) => entry.text).join(' ')).toContain('MMR (CVX 03)');
    });

    it('puts the claim and the explanation of benefit in billing with amounts', () => {
      const billing = entries.filter((entry) => entry.section === 'billing');
      expect(billing.map((entry) => entry.resourceType).sort()).toEqual(['Claim', 'ExplanationOfBenefit']);
      expect(billing.every((entry) => entry.category === 'billing')).toBe(true);
      const eob = billing.find((entry) => entry.resourceType === 'ExplanationOfBenefit');
      expect(eob?.text).toContain('outcome complete');
      expect(eob?.text).toContain('payment 334.27 USD');
      expect(billing.find((entry) => entry.resourceType === 'Claim')?.text).toContain('total 417.84 USD');
    });

    it('renders a medication statement with its free-text dosage and reason', () => {
      const statement = entryFor(entries, findResource(raw, 'MedicationStatement'));
      expect(statement).toMatchObject({ section: 'medication', category: 'medications' });
      expect(statement.text).toContain('250 mg by mouth three times daily for 10 days');
      expect(statement.text).toContain('reason Otitis media (disorder)');
    });
  });

  describe('references', () => {
    it('names a medication given as medicationReference to a Medication in the bundle, without an entry for it', () => {
      const raw = loadFhirFixture('adult');
      const request = findResource(raw, 'MedicationRequest', hasCode('314076'));
      const medication = {
        resourceType: 'Medication',
        id: 'med-1',
        code: {
          coding: [
            {
              system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
              code: '314076',
              display: 'lisinopril 10 MG Oral Tablet',
            },
          ],
        },
      };
      raw.entry.push({ fullUrl: 'urn:uuid:5f0c1a52-0000-4000-8000-00000000aaaa', resource: medication });
      delete request.medicationCodeableConcept;
      request.medicationReference = { reference: 'urn:uuid:5f0c1a52-0000-4000-8000-00000000aaaa' };

      const { entries } = recordOf(raw);
      expect(entryFor(entries, request).text).toContain(
        'Medication request: lisinopril 10 MG Oral Tablet (RxNorm 314076)',
      );
      expect(entries.some((entry) => entry.resourceType === 'Medication')).toBe(false);
    });

    it('resolves relative Type/id references as well as urn:uuid ones', () => {
      const raw = loadFhirFixture('adult');
      const request = findResource(raw, 'MedicationRequest', hasCode('860975'));
      const diabetes = findResource(raw, 'Condition', hasCode('44054006'));
      request.reasonReference = [{ reference: `Condition/${diabetes.id}` }];
      expect(entryFor(recordOf(raw).entries, request).text).toContain('reason Diabetes mellitus type 2 (disorder)');
    });
  });

  describe('security labels', () => {
    it('applies a bundle-level label to every entry', () => {
      const raw = loadFhirFixture('pediatric');
      raw.meta = { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' }] };
      const { entries } = recordOf(raw);
      expect(entries.every((entry) => entry.category === 'substance-use')).toBe(true);
    });

    it.each([
      ['PSY', 'psychotherapy'],
      ['PSYTHPN', 'psychotherapy'],
      ['ETH', 'substance-use'],
      ['SUD', 'substance-use'],
      ['OPIOIDUD', 'substance-use'],
      ['42CFRPart2', 'substance-use'],
    ])('maps %s (also under the legacy hl7.org/fhir/v3 system) to %s', (code, category) => {
      const raw = loadFhirFixture('pediatric');
      const observation = findResource(raw, 'Observation');
      observation.meta = { security: [{ system: 'http://hl7.org/fhir/v3/ActCode', code }] };
      expect(entryFor(recordOf(raw).entries, observation).category).toBe(category);
    });

    it('ignores label, system and unit values spelled like Object.prototype members', () => {
      const raw = loadFhirFixture('pediatric');
      const observation = findResource(raw, 'Observation');
      observation.meta = { security: [{ code: 'constructor' }, { code: '__proto__' }] };
      observation.code = { coding: [{ system: 'toString', code: '1' }] };
      const entry = entryFor(recordOf(raw).entries, observation);
      expect(entry.category).toBe('clinical');
      expect(entry.text).not.toContain('function');
    });

    it('does not treat confidentiality codes alone (R, V) as a protected category', () => {
      const raw = loadFhirFixture('pediatric');
      const observation = findResource(raw, 'Observation');
      observation.meta = {
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V' }],
      };
      expect(entryFor(recordOf(raw).entries, observation).category).toBe('clinical');
    });
  });
});

/** Adds security labels to a raw resource's meta.security, keeping any it has. */
function addLabels(resource: RawEntry['resource'], ...codes: string[]): void {
  const meta = (resource.meta ?? {}) as { security?: Array<{ system: string; code: string }> };
  meta.security = [
    ...(meta.security ?? []),
    ...codes.map((code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code })),
  ];
  resource.meta = meta;
}

const sourceIdOf = (resource: RawEntry['resource']): string => `${resource.resourceType}/${resource.id}`;

describe('extractRecord on a resource that is both psychotherapy and 42 CFR Part 2 material', () => {
  // Consent is per category: emitting either category alone would let one consent release the other's material.
  const baseline = recordOf(loadFhirFixture('behavioral'));
  const baselineText = (resource: RawEntry['resource']): string => entryFor(baseline.entries, resource).text;

  function expectWithheld(record: ReturnType<typeof recordOf>, withheld: readonly RawEntry['resource'][]): void {
    const ids = withheld.map(sourceIdOf);
    expect(record.entries.filter((entry) => ids.includes(entry.sourceId))).toEqual([]);
    expect(record.skipped?.protected).toBe(withheld.length);
    for (const resource of withheld) {
      const text = baselineText(resource);
      for (const entry of record.entries) expect(entry.text).not.toContain(text);
    }
  }

  it('withholds a note labelled PSYTHPN + 42CFRPart2, counts it, and leaves every other entry as it was', () => {
    const raw = loadFhirFixture('behavioral');
    const note = findResource(raw, 'DocumentReference', hasCode('PSYTHPN'));
    addLabels(note, '42CFRPart2');

    const record = recordOf(raw);

    expectWithheld(record, [note]);
    expect(JSON.stringify(record)).not.toMatch(/transference|dream content|childhood events/);
    expect(record.entries).toEqual(baseline.entries.filter((entry) => entry.sourceId !== sourceIdOf(note)));
    expect(record.skipped?.attachments).toBe(baseline.skipped?.attachments);
  });

  it('withholds a note whose type reads "psychotherapy" and whose security label says Part 2 (codes and wording)', () => {
    const raw = loadFhirFixture('behavioral');
    const note = findResource(raw, 'DocumentReference', (resource) =>
      JSON.stringify(resource).includes('"text":"Psychotherapy note"'),
    );
    note.securityLabel = [{ coding: [{ code: '42CFRPart2' }] }];

    const record = recordOf(raw);

    expectWithheld(record, [note]);
    expect(JSON.stringify(record)).not.toMatch(/grief|family conflict/);
  });

  it('withholds a doubly labelled condition and everything about it, restricted in every other entry', () => {
    const raw = loadFhirFixture('behavioral');
    const sud = findResource(raw, 'Condition', hasCode('5602001'));
    addLabels(sud, 'PSY');
    const encounter = findResource(raw, 'Encounter', hasCode('313076006'));
    const prescription = findResource(raw, 'MedicationRequest', hasCode('1010600'));
    const claim = findResource(raw, 'Claim', (resource) => JSON.stringify(resource).includes(sud.id));
    // Recorded in the doubly protected encounter, so doubly protected as well.
    const inEncounter = raw.entry
      .map((entry) => entry.resource)
      .filter((resource) => JSON.stringify(resource).includes(`urn:uuid:${encounter.id}`) && resource !== claim);

    const record = recordOf(raw);

    expectWithheld(record, [sud, encounter, prescription, claim, ...inEncounter.filter((r) => r !== prescription)]);
    expect(JSON.stringify(record.entries)).not.toMatch(/Opioid abuse|5602001|Substance use disorder counseling/);
  });

  it('withholds a resource that inherits psychotherapy from one condition and Part 2 from another', () => {
    const raw = loadFhirFixture('behavioral');
    const depression = {
      resourceType: 'Condition',
      id: 'f3b1c2d4-0000-4000-8000-00000000dddd',
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }] },
      code: { text: 'Recurrent major depression with vivid intrusive imagery' },
      subject: { reference: `urn:uuid:${findResource(raw, 'Patient').id}` },
    };
    raw.entry.push({ fullUrl: `urn:uuid:${depression.id}`, resource: depression });
    const encounter = findResource(raw, 'Encounter', hasCode('313076006'));
    encounter.reasonReference = [
      ...(encounter.reasonReference as Array<{ reference: string }>),
      { reference: `urn:uuid:${depression.id}` },
    ];

    // Everything recorded in that encounter is a record of the doubly protected visit.
    const inEncounter = raw.entry
      .map((entry) => entry.resource)
      .filter((resource) => JSON.stringify(resource).includes(`urn:uuid:${encounter.id}`));

    const record = recordOf(raw);

    expectWithheld(record, [encounter, ...inEncounter]);
    // Each condition alone keeps its single category; only what is about (or recorded in) both is withheld.
    expect(entryFor(record.entries, depression).category).toBe('psychotherapy');
    expect(entryFor(record.entries, findResource(raw, 'Condition', hasCode('5602001'))).category).toBe('substance-use');
    for (const entry of record.entries.filter((candidate) => candidate.category !== 'psychotherapy')) {
      expect(entry.text).not.toContain('vivid intrusive imagery');
    }
  });

  it('withholds every resource when the Bundle itself carries both labels', () => {
    const raw = loadFhirFixture('pediatric');
    raw.meta = {
      security: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSYTHPN' },
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'ETH' },
      ],
    };
    const read = raw.entry.filter((entry) => READ_TYPES.has(entry.resource.resourceType)).length;

    const record = recordOf(raw);

    expect(record.entries).toEqual([]);
    expect(record.skipped?.protected).toBe(read);
  });
});

describe('extractRecord on the records of a protected encounter', () => {
  it('makes the notes and results recorded in a Part 2 encounter Part 2 material, whatever their own labels', () => {
    const data = Buffer.from('Methadone 80 mg daily; urine toxicology positive for fentanyl.', 'utf8').toString(
      'base64',
    );
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:p1', resource: { resourceType: 'Patient', id: 'p1' } },
        {
          fullUrl: 'urn:uuid:e1',
          resource: {
            resourceType: 'Encounter',
            id: 'e1',
            status: 'finished',
            class: { code: 'AMB' },
            meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '42CFRPart2' }] },
            subject: { reference: 'urn:uuid:p1' },
          },
        },
        {
          fullUrl: 'urn:uuid:d1',
          resource: {
            resourceType: 'DocumentReference',
            id: 'd1',
            status: 'current',
            type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
            subject: { reference: 'urn:uuid:p1' },
            context: { encounter: [{ reference: 'urn:uuid:e1' }] },
            content: [{ attachment: { contentType: 'text/plain', data } }],
          },
        },
        {
          fullUrl: 'urn:uuid:o1',
          resource: {
            resourceType: 'Observation',
            id: 'o1',
            status: 'final',
            code: { text: 'Urine fentanyl' },
            valueString: 'positive',
            subject: { reference: 'urn:uuid:p1' },
            encounter: { reference: 'urn:uuid:e1' },
          },
        },
      ],
    };

    const { entries } = extractRecord(parseFhirBundle(bundle));

    const category = (sourceId: string) => entries.find((entry) => entry.sourceId === sourceId)?.category;
    expect(category('DocumentReference/d1')).toBe('substance-use');
    expect(category('Observation/o1')).toBe('substance-use');
    for (const entry of entries.filter((candidate) => !SPECIALLY_PROTECTED.includes(candidate.category))) {
      expect(entry.text).not.toMatch(/fentanyl|methadone/i);
    }
  });
});

describe('htmlToText', () => {
  it('keeps text between hidden blocks and drops an unclosed block to the end', () => {
    expect(htmlToText('a<SCRIPT type="x">b</script >c<!-- d -->e<style>f')).toMatch(/^a\s+c\s+e\s*$/);
  });

  it('stays linear on many unclosed script tags', () => {
    const hostile = `${'<script>'.repeat(50_000)}tail`;
    expect(htmlToText(hostile).trim()).toBe('');
    expect(htmlToText(`x${'<!--'.repeat(50_000)}`).trim()).toBe('x');
  });

  it('drops scripts, styles and tags and decodes entities', () => {
    expect(
      htmlToText('<style>b{}</style><script>alert(1)</script><p>A &amp; B &lt;3 &#233;&#x41;</p><!-- note -->'),
    ).toMatch(/^\s*A & B <3 éA\s*$/);
  });
});
