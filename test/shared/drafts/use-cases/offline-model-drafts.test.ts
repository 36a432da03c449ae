import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OfflineCodeInference } from '../../../../shared/adapters/local/offline-code-inference.ts';
import { OfflineModelClient } from '../../../../shared/adapters/local/offline-model-client.ts';
import type { PromptSource } from '../../../../shared/ai/prompt-template.ts';
import { PROMPTS } from '../../../../shared/ai/prompts/prompt-catalog.ts';
import {
  DRAFT_USE_CASES,
  type DraftBuildContext,
  type DraftContent,
  type DraftUseCase,
} from '../../../../shared/drafts/use-cases/draft-use-cases.ts';

const BUNDLE: unknown = JSON.parse(
  readFileSync(new URL('../../../fixtures/fhir/adult-hypertension-diabetes.json', import.meta.url), 'utf8'),
);

const context: DraftBuildContext = {
  caller: { userId: 'u-1', username: 'dr', roles: ['physician'], clientId: undefined, sourceIp: undefined },
  patientScope: 'patient-scope-1',
  searchKnowledge: async () => [
    {
      chunkId: 'payer-policies:c1',
      documentId: 'payer-policies',
      title: 'Payer policies',
      headingPath: ['Imaging'],
      text: 'The payer requires documentation of six weeks of failed conservative therapy. Call the office if pain gets worse.',
    },
    {
      chunkId: 'wound-care:c2',
      documentId: 'wound-care',
      title: 'Wound care handout',
      headingPath: [],
      text: 'Keep the dressing dry for two days. Avoid swimming until the wound heals. Call us for fever or redness. Return for a follow-up visit in ten days.',
    },
  ],
};

const INPUTS: Record<DraftUseCase, unknown> = {
  'soap-note': {
    transcript: {
      segments: [
        { segmentId: 'e1-1', speaker: 'patient', text: 'I have had a cough for three days and I feel tired.' },
        { segmentId: 'e1-2', speaker: 'clinician', text: 'On exam, temperature 38.1 and pulse 96.' },
        { segmentId: 'e1-3', speaker: 'clinician', text: 'This is likely acute bronchitis.' },
        { segmentId: 'e1-4', speaker: 'clinician', text: 'Start rest and fluids, and follow up in one week.' },
      ],
    },
  },
  'record-summary': { bundle: BUNDLE },
  'prior-auth-letter': {
    keyDetails: 'Requesting authorization for a lumbar MRI. Tried physical therapy for six weeks without relief.',
    bundle: BUNDLE,
    payer: 'Acme Health',
  },
  'appeal-letter': { keyDetails: 'The lumbar MRI was denied as not medically necessary.', payer: 'Acme Health' },
  'referral-summary': {
    keyDetails: 'Please evaluate for persistent migraine despite two medications.',
    specialty: 'Neurology',
  },
  'patient-instructions': { topic: 'wound care' },
  'coding-review': {
    documentation: 'Poorly controlled type 2 diabetes and hypertension. Denies chest pain. Plan metformin.',
    claimedCodes: { icd10cm: ['E11.9', 'R07.9'], cpt: ['99214'] },
  },
};

/** The whole path the workflow takes with the offline client: sources -> (enrich) -> prompt -> reply -> parse. */
async function draftOffline(useCase: DraftUseCase): Promise<{ content: DraftContent; sourceIds: Set<string> }> {
  const spec = DRAFT_USE_CASES[useCase];
  const built = await spec.buildSources(INPUTS[useCase], context);
  // The gateway would de-identify here; these fixtures are synthetic, so the text stands in for tokenized text.
  const sources: PromptSource[] = [...built.sources];
  if (spec.enrich) sources.push(...(await spec.enrich(sources, { codeInference: new OfflineCodeInference() })));
  const template = PROMPTS[useCase];
  const reply = await new OfflineModelClient().complete({
    modelId: 'offline',
    system: template.system,
    messages: [{ role: 'user', text: template.render(sources, built.instructions) }],
    maxOutputTokens: template.maxOutputTokens,
  });
  const sourceIds = new Set(sources.map((source) => source.sourceId));
  const parsed = spec.parseOutput(reply.text, sourceIds);
  if (!parsed.ok) throw new Error(`${useCase}: ${parsed.problem}`);
  return { content: parsed.content, sourceIds };
}

const statementsUnder = (content: DraftContent, heading: string) =>
  content.sections.find((section) => section.heading === heading)?.statements ?? [];

describe('the offline model client on every draft use case', () => {
  it.each(Object.keys(DRAFT_USE_CASES) as DraftUseCase[])(
    '%s: gives a reply parseOutput accepts, every statement citing a source of the request',
    async (useCase) => {
      const { content, sourceIds } = await draftOffline(useCase);
      const statements = content.sections.flatMap((section) => section.statements);

      expect(statements.length).toBeGreaterThan(0);
      expect(content.unsupportedStatements).toBe(0);
      for (const statement of statements) {
        expect(statement.evidence.length).toBe(1);
        expect(sourceIds.has(statement.evidence[0] ?? '')).toBe(true);
      }
      expect(DRAFT_USE_CASES[useCase].render(content)).toMatch(/\[evidence: [^\]]+\]/);
    },
  );

  it('files SOAP transcript segments under Subjective, Objective, Assessment and Plan by their cue words', async () => {
    const { content } = await draftOffline('soap-note');
    expect(content.sections.map((section) => section.statements.map((s) => s.evidence[0]))).toEqual([
      ['segment/e1-1'],
      ['segment/e1-2'],
      ['segment/e1-3'],
      ['segment/e1-4'],
    ]);
  });

  it('files medications, allergies and results of the record under their headings with their resource ids', async () => {
    const { content } = await draftOffline('record-summary');
    const ids = (heading: string) => statementsUnder(content, heading).map((s) => s.evidence[0]?.split('/')[0]);
    expect(ids('Medications').filter((type) => type === 'MedicationRequest')).toHaveLength(2);
    expect(ids('Allergies')).toEqual(['AllergyIntolerance']);
    expect(ids('Recent results')).toContain('Observation');
    expect(ids('Problem list')).toContain('Condition');
  });

  it('restates the coding findings under the heading each is labelled with', async () => {
    const { content } = await draftOffline('coding-review');
    expect(statementsUnder(content, 'Unsupported codes').map((s) => s.text)).toEqual([
      'claimed ICD-10-CM E11.9 (Type 2 diabetes mellitus without complications) is not documented; the documentation points to E11.65 instead (inference score 0.90).',
      'claimed ICD-10-CM R07.9 (Chest pain, unspecified) is documented as absent (negated).',
    ]);
    expect(statementsUnder(content, 'Possible under-coding').map((s) => s.text.split(' ')[1])).toEqual([
      'E11.65',
      'I10',
    ]);
    for (const section of content.sections) {
      for (const statement of section.statements) expect(statement.evidence).toEqual(['coding/findings']);
    }
  });

  it('writes patient instructions only from the practice documents', async () => {
    const { content } = await draftOffline('patient-instructions');
    const evidence = content.sections.flatMap((section) => section.statements.flatMap((s) => s.evidence));
    expect(evidence.every((id) => id.startsWith('chunk/'))).toBe(true);
    expect(statementsUnder(content, 'What to avoid').map((s) => s.text)).toContain(
      'Avoid swimming until the wound heals.',
    );
  });
});
