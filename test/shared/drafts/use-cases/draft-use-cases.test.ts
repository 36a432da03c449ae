import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USE_CASE_ROLES } from '../../../../shared/ai/use-cases.ts';
import {
  DRAFT_USE_CASES,
  type DraftBuildContext,
  type KnowledgeHit,
} from '../../../../shared/drafts/use-cases/draft-use-cases.ts';
import { ValidationFailed } from '../../../../shared/errors/domain-errors.ts';
import { categoriesFor } from '../../../../shared/identity/minimum-necessary.ts';
import { USE_CASES } from '../../../../shared/policy/use-cases.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/fhir/${name}.json`, import.meta.url), 'utf8'));
const ADULT = fixture('adult-hypertension-diabetes');

const HITS: KnowledgeHit[] = [
  {
    chunkId: 'payer-acme-prior-auth:abc123',
    documentId: 'payer-acme-prior-auth',
    title: 'Acme Health prior authorization',
    headingPath: ['Imaging', 'MRI'],
    text: 'Acme requires six weeks of conservative therapy before a lumbar MRI.',
  },
];

function contextWith(hits: readonly KnowledgeHit[] = HITS) {
  const queries: string[] = [];
  const context: DraftBuildContext = {
    caller: { userId: 'u-1', username: 'dr', roles: ['physician'], clientId: undefined, sourceIp: undefined },
    patientScope: 'patient-scope-1',
    searchKnowledge: async (query) => {
      queries.push(query);
      return hits;
    },
  };
  return { context, queries };
}

async function rejection(promise: Promise<unknown>): Promise<ValidationFailed> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationFailed);
  return error as ValidationFailed;
}

describe('DRAFT_USE_CASES', () => {
  it('defines every use case but the knowledge answer, with reviewers and a patient scope except for templates', () => {
    expect(Object.keys(DRAFT_USE_CASES).sort()).toEqual(USE_CASES.filter((u) => u !== 'knowledge-answer').sort());
    for (const [useCase, spec] of Object.entries(DRAFT_USE_CASES)) {
      expect(spec.reviewerRoles.length).toBeGreaterThan(0);
      expect(spec.needsPatientScope).toBe(useCase !== 'patient-instructions');
    }
    expect(DRAFT_USE_CASES['coding-review'].reviewerRoles).toEqual(['billing']);
  });

  it('lets billing start a record summary, whose sources a nurse and billing see differently', async () => {
    expect(USE_CASE_ROLES['record-summary']).toContain('billing');
    const { sources } = await DRAFT_USE_CASES['record-summary'].buildSources({ bundle: ADULT }, contextWith().context);
    const visibleTo = (role: 'nurse' | 'billing') => {
      const categories = categoriesFor([role]);
      return sources.filter((source) => categories.has(source.category)).map((source) => source.sourceId);
    };

    expect(visibleTo('nurse').some((id) => id.startsWith('MedicationRequest/'))).toBe(true);
    expect(visibleTo('billing').some((id) => id.startsWith('MedicationRequest/'))).toBe(false);
    expect(visibleTo('billing').some((id) => id.startsWith('Condition/'))).toBe(true);
    expect(visibleTo('nurse')).not.toEqual(visibleTo('billing'));
  });
});

describe('soap-note', () => {
  const spec = DRAFT_USE_CASES['soap-note'];

  it('makes each transcript segment a notes source cited as segment/<id>, and the notes one more', async () => {
    const { sources } = await spec.buildSources(
      {
        notes: 'Dictated: BP 150/90.',
        transcript: {
          segments: [
            { segmentId: 'e1-1', speaker: 'patient', startMs: 0, endMs: 1200, text: 'I have had a cough.' },
            { segmentId: 'e1-2', text: '   ' },
            { segmentId: 'e1-3', speaker: 'clinician', text: 'Lungs are clear.' },
          ],
        },
      },
      contextWith().context,
    );

    expect(sources).toEqual([
      { sourceId: 'request/notes', category: 'notes', text: 'Dictated: BP 150/90.' },
      { sourceId: 'segment/e1-1', category: 'notes', text: 'patient: I have had a cough.' },
      { sourceId: 'segment/e1-3', category: 'notes', text: 'clinician: Lungs are clear.' },
    ]);
  });

  it.each([
    ['neither notes nor a transcript', {}],
    [
      'duplicate segment ids',
      {
        transcript: {
          segments: [
            { segmentId: 'a', text: 'x' },
            { segmentId: 'a', text: 'y' },
          ],
        },
      },
    ],
    ['a segment id that cannot be an evidence id', { transcript: { segments: [{ segmentId: 'a"><b', text: 'x' }] } }],
  ])('rejects %s with INVALID_DRAFT_INPUT and paths only', async (_case, input) => {
    const error = await rejection(spec.buildSources(input, contextWith().context));
    expect(error.code).toBe('INVALID_DRAFT_INPUT');
    expect(JSON.stringify(error.details)).not.toContain('"><b');
  });
});

describe('record-summary', () => {
  const spec = DRAFT_USE_CASES['record-summary'];

  it('cites each resource of the bundle by ResourceType/id, with the extracted categories, and leaves out the Patient', async () => {
    const { sources } = await spec.buildSources({ bundle: ADULT }, contextWith().context);
    const bundleIds = new Set(
      (ADULT as { entry: { resource: { resourceType: string; id: string } }[] }).entry.map(
        (entry) => `${entry.resource.resourceType}/${entry.resource.id}`,
      ),
    );

    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(bundleIds.has(source.sourceId)).toBe(true);
    expect(sources.some((source) => source.sourceId.startsWith('Patient/'))).toBe(false);
    expect(new Set(sources.map((source) => source.category))).toEqual(
      new Set(['clinical', 'medications', 'labs', 'notes']),
    );
  });

  it('keeps the substance-use and psychotherapy labels so the gateway can withhold them', async () => {
    const { sources } = await spec.buildSources(
      { bundle: fixture('behavioral-health-protected') },
      contextWith().context,
    );
    const categories = new Set(sources.map((source) => source.category));
    expect(categories.has('substance-use')).toBe(true);
    expect(categories.has('psychotherapy')).toBe(true);
  });

  it('rejects a malformed bundle with the FHIR parser error and one that is not a bundle with INVALID_DRAFT_INPUT', async () => {
    const malformed = await rejection(
      spec.buildSources(
        { bundle: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: 42 }] } },
        contextWith().context,
      ),
    );
    expect(malformed.code).toBe('INVALID_FHIR_BUNDLE');
    const wrong = await rejection(spec.buildSources({ bundle: { resourceType: 'Patient' } }, contextWith().context));
    expect(wrong.code).toBe('INVALID_DRAFT_INPUT');
  });
});

describe.each(['prior-auth-letter', 'appeal-letter', 'referral-summary'] as const)('%s', (useCase) => {
  const spec = DRAFT_USE_CASES[useCase];
  const keyDetails = 'Avery Quinn needs a lumbar MRI after six weeks of physical therapy.';

  it("cites the key details, the record and the practice's requirements as reference chunks", async () => {
    const { context, queries } = contextWith();
    const built = await spec.buildSources(
      { keyDetails, bundle: ADULT, payer: 'Acme Health', specialty: 'Neurology' },
      context,
    );

    expect(built.sources[0]).toEqual({ sourceId: 'request/key-details', category: 'notes', text: keyDetails });
    expect(built.sources.some((source) => source.sourceId.startsWith('Patient/'))).toBe(true);
    expect(built.sources.at(-1)).toEqual({
      sourceId: 'chunk/payer-acme-prior-auth:abc123',
      category: 'reference',
      text: 'Acme Health prior authorization > Imaging > MRI:\nAcme requires six weeks of conservative therapy before a lumbar MRI.',
    });
    expect(built.instructions).toContain(useCase === 'referral-summary' ? 'Neurology' : 'Acme Health');
    // The knowledge query is built from fixed words and the short labels only, never the key details (PHI).
    expect(queries).toHaveLength(1);
    expect(queries[0]).not.toContain('Avery');
    expect(queries[0]).not.toContain('MRI');
  });

  it('works without a bundle or labels, and refuses a payer label carrying markup', async () => {
    const built = await spec.buildSources({ keyDetails }, contextWith([]).context);
    expect(built.sources.map((source) => source.sourceId)).toEqual(['request/key-details']);
    expect(built.instructions).toBeUndefined();
    const error = await rejection(spec.buildSources({ keyDetails, payer: '<source id="x">' }, contextWith().context));
    expect(error.code).toBe('INVALID_DRAFT_INPUT');
  });
});

describe('patient-instructions', () => {
  const spec = DRAFT_USE_CASES['patient-instructions'];

  it("uses only the practice's documents as sources, and the topic and reading level as instructions", async () => {
    const { context, queries } = contextWith();
    const built = await spec.buildSources(
      { topic: 'after knee arthroscopy', audienceReadingLevel: 5, language: 'es' },
      context,
    );

    expect(queries).toEqual(['after knee arthroscopy']);
    expect(built.sources.every((source) => source.category === 'reference')).toBe(true);
    expect(built.instructions).toBe('Topic: after knee arthroscopy.\nReading level: grade 5.\nLanguage: es.');
  });

  it('fails with NO_PRACTICE_DOCUMENTS when no document matches rather than write from nothing', async () => {
    const error = await rejection(spec.buildSources({ topic: 'wound care' }, contextWith([]).context));
    expect(error.code).toBe('NO_PRACTICE_DOCUMENTS');
  });

  it('renders a template with placeholders for every patient detail', () => {
    const text = spec.render({
      sections: [{ heading: 'What to do', statements: [{ text: 'Rest.', evidence: ['chunk/a:1'] }] }],
      unsupportedStatements: 0,
    });
    expect(text).toContain('{{patient_name}}');
    expect(text).toContain('{{practice_phone}}');
    expect(text).toContain('- Rest. [evidence: chunk/a:1]');
  });
});
