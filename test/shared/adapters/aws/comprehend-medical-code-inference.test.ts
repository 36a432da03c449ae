import {
  ComprehendMedicalClient,
  type ICD10CMEntity,
  InferICD10CMCommand,
  InvalidRequestException,
  TooManyRequestsException,
} from '@aws-sdk/client-comprehendmedical';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ComprehendMedicalCodeInference } from '../../../../shared/adapters/aws/comprehend-medical-code-inference.ts';
import { utf8ByteLength } from '../../../../shared/phi/text-chunks.ts';
import { CodeInferenceFailed } from '../../../../shared/ports/code-inference.ts';

const comprehend = mockClient(ComprehendMedicalClient);

function entity(text: string, code: string, description: string, score: number, traits: string[] = []): ICD10CMEntity {
  return {
    Id: 0,
    Text: text,
    Category: 'MEDICAL_CONDITION',
    Type: 'DX_NAME',
    Score: 0.99,
    BeginOffset: 0,
    EndOffset: text.length,
    Traits: traits.map((name) => ({ Name: name as never, Score: 0.9 })),
    ICD10CMConcepts: [
      { Code: code, Description: description, Score: score },
      { Code: `${code.slice(0, 3)}.8`, Description: 'a weaker concept', Score: score / 2 },
    ],
  };
}

describe('ComprehendMedicalCodeInference', () => {
  let sleeps: number[];
  const inference = (options: ConstructorParameters<typeof ComprehendMedicalCodeInference>[1] = {}) =>
    new ComprehendMedicalCodeInference(new ComprehendMedicalClient({ region: 'us-east-1' }), {
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
      now: () => 0,
      charactersPerSecond: 1_000_000,
      ...options,
    });

  beforeEach(() => {
    comprehend.reset();
    sleeps = [];
  });

  it('takes the best concept of each entity, reads NEGATION, and skips family and hypothetical conditions', async () => {
    comprehend.on(InferICD10CMCommand).resolves({
      Entities: [
        entity('hypertension', 'I10', 'Essential (primary) hypertension', 0.91),
        entity('chest pain', 'R07.9', 'Chest pain, unspecified', 0.8, ['NEGATION', 'SYMPTOM']),
        entity('diabetes', 'E11.9', 'Type 2 diabetes mellitus without complications', 0.7, ['PERTAINS_TO_FAMILY']),
        entity('pneumonia', 'J18.9', 'Pneumonia, unspecified organism', 0.6, ['HYPOTHETICAL']),
        { Id: 9, Text: 'yesterday', Category: 'MEDICAL_CONDITION', Type: 'TIME_EXPRESSION', ICD10CMConcepts: [] },
      ],
      ModelVersion: '0.1.0',
    });

    const codes = await inference().inferIcd10Cm('Hypertension. Denies chest pain. Family history of diabetes.');

    expect(codes).toEqual([
      {
        code: 'I10',
        description: 'Essential (primary) hypertension',
        score: 0.91,
        text: 'hypertension',
        negated: false,
      },
      { code: 'R07.9', description: 'Chest pain, unspecified', score: 0.8, text: 'chest pain', negated: true },
    ]);
    expect(comprehend).toHaveReceivedCommandWith(InferICD10CMCommand, {
      Text: 'Hypertension. Denies chest pain. Family history of diabetes.',
    });
  });

  it('sends long text in chunks under the byte limit and reports each code once', async () => {
    comprehend
      .on(InferICD10CMCommand)
      .resolves({ Entities: [entity('asthma', 'J45.909', 'Unspecified asthma, uncomplicated', 0.9)] });
    const text = 'Asthma is stable on inhaler. '.repeat(200);

    const codes = await inference({ maxChunkBytes: 1_000 }).inferIcd10Cm(text);

    const calls = comprehend.commandCalls(InferICD10CMCommand);
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) expect(utf8ByteLength(call.args[0].input.Text ?? '')).toBeLessThan(1_000);
    expect(codes.map((code) => code.code)).toEqual(['J45.909']);
  });

  it('retries throttling with backoff, then answers', async () => {
    comprehend
      .on(InferICD10CMCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ Entities: [] });

    await expect(inference().inferIcd10Cm('gout')).resolves.toEqual([]);
    expect(sleeps).toHaveLength(1);
  });

  it('fails closed with a typed error that never carries the text', async () => {
    comprehend
      .on(InferICD10CMCommand)
      .rejects(new InvalidRequestException({ message: 'bad text: Avery Quinn', $metadata: {} }));

    const error = await inference()
      .inferIcd10Cm('Avery Quinn has gout')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CodeInferenceFailed);
    expect(error).toMatchObject({ reason: 'REJECTED', code: 'CODE_INFERENCE_FAILED', status: 503 });
    expect(JSON.stringify(error)).not.toContain('Avery');
    expect((error as Error).message).not.toContain('Avery');
  });

  it('gives up after the last attempt when throttling persists', async () => {
    comprehend
      .on(InferICD10CMCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(inference({ maxAttempts: 3 }).inferIcd10Cm('gout')).rejects.toMatchObject({ reason: 'THROTTLED' });
    expect(comprehend.commandCalls(InferICD10CMCommand)).toHaveLength(3);
  });

  it.each([
    ['no entity list', {}, 'INVALID_RESPONSE'],
    ['a pagination token', { Entities: [], PaginationToken: 'more' }, 'TRUNCATED'],
    [
      'a concept without a code',
      { Entities: [{ Text: 'gout', ICD10CMConcepts: [{ Description: 'Gout', Score: 0.9 }] }] },
      'INVALID_RESPONSE',
    ],
  ])('rejects an answer with %s', async (_case, output, reason) => {
    comprehend.on(InferICD10CMCommand).resolves(output);
    await expect(inference().inferIcd10Cm('gout')).rejects.toMatchObject({ reason });
  });

  it('makes no call for empty text and fails at once when already aborted', async () => {
    await expect(inference().inferIcd10Cm('   ')).resolves.toEqual([]);
    await expect(inference().inferIcd10Cm('gout', AbortSignal.abort())).rejects.toMatchObject({ reason: 'ABORTED' });
    expect(comprehend.commandCalls(InferICD10CMCommand)).toHaveLength(0);
  });
});
