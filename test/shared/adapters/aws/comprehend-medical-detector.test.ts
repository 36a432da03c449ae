import {
  ComprehendMedicalClient,
  ComprehendMedicalServiceException,
  DetectPHICommand,
  type DetectPHIRequest,
  type DetectPHIResponse,
  type Entity,
  type EntitySubType,
  InvalidRequestException,
  TextSizeLimitExceededException,
  TooManyRequestsException,
} from '@aws-sdk/client-comprehendmedical';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ComprehendMedicalDetector,
  type ComprehendMedicalDetectorOptions,
  PhiDetectionFailed,
} from '../../../../shared/adapters/aws/comprehend-medical-detector.ts';

const comprehend = mockClient(ComprehendMedicalClient);

/** What the service would find, by pattern: the fake reports every match, as DetectPHI does, in code points. */
const PATTERNS: ReadonlyArray<readonly [RegExp, EntitySubType]> = [
  [/John Smith|Zoë Núñez/g, 'NAME'],
  [/\d\d\/\d\d\/\d{4}/g, 'DATE'],
  [/\b\d\d-year-old\b/g, 'AGE'],
  [/555-\d{4}/g, 'PHONE_OR_FAX'],
  [/MRN \d+/g, 'ID'],
  [/12 Elm St/g, 'ADDRESS'],
];

const codePoints = (text: string) => [...text].length;

/** A stand-in for DetectPHI that answers like the real API and counts the entities it reported. */
function fakeDetectPhi() {
  const reported = { entities: 0 };
  // Async like the real client's send, which always returns a promise.
  const respond = async (input: DetectPHIRequest): Promise<DetectPHIResponse> => {
    const text = input.Text ?? '';
    const entities: Entity[] = [];
    for (const [pattern, type] of PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const beginOffset = codePoints(text.slice(0, match.index));
        entities.push({
          Id: entities.length,
          BeginOffset: beginOffset,
          EndOffset: beginOffset + codePoints(match[0]),
          Score: 0.9975,
          Text: match[0],
          Category: 'PROTECTED_HEALTH_INFORMATION',
          Type: type,
          Traits: [],
        });
      }
    }
    reported.entities += entities.length;
    return { Entities: entities, ModelVersion: '2.4.0' };
  };
  return { respond, reported };
}

const sentTexts = () => comprehend.commandCalls(DetectPHICommand).map((call) => call.args[0].input.Text ?? '');
const indicesOf = (text: string, needle: string) => [...text.matchAll(new RegExp(needle, 'g'))].map((m) => m.index);
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('ComprehendMedicalDetector', () => {
  let sleeps: number[];
  let clock: number;
  const detectorWith = (options: ComprehendMedicalDetectorOptions = {}) =>
    new ComprehendMedicalDetector(new ComprehendMedicalClient({ region: 'us-east-1' }), {
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
        clock += milliseconds;
      },
      now: () => clock,
      random: () => 0.5,
      ...options,
    });

  beforeEach(() => {
    comprehend.reset();
    sleeps = [];
    clock = 0;
  });

  it('is named comprehend-medical', () => {
    expect(detectorWith().name).toBe('comprehend-medical');
  });

  it('returns no spans for empty text without calling Comprehend Medical', async () => {
    await expect(detectorWith().detect('')).resolves.toEqual([]);

    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 0);
  });

  it('finds PHI in a short text with one call, mapping code point offsets to string indices', async () => {
    comprehend.on(DetectPHICommand).callsFake(fakeDetectPhi().respond);
    const text = 'Pt 😀 John Smith, 42-year-old, DOB 01/02/1960, MRN 889911, 12 Elm St. Phone: 555-0199 Fax: 555-0100';

    const spans = await detectorWith().detect(text);

    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 1);
    expect(comprehend).toHaveReceivedNthCommandWith(DetectPHICommand, 1, { Text: text });
    expect(spans.map((span) => [text.slice(span.begin, span.end), span.type])).toEqual([
      ['John Smith', 'NAME'],
      ['42-year-old', 'AGE'],
      ['01/02/1960', 'DATE'],
      ['MRN 889911', 'ID'],
      ['12 Elm St', 'ADDRESS'],
      ['555-0199', 'PHONE'],
      ['555-0100', 'FAX'],
    ]);
    expect(spans[0]).toMatchObject({ score: 0.9975, detector: 'comprehend-medical' });
  });

  it('calls a number a fax only when the nearest label before it says fax', async () => {
    comprehend.on(DetectPHICommand).callsFake(fakeDetectPhi().respond);
    const text = 'Fax: 555-0100, Phone: 555-0199, call 555-0123';

    const spans = await detectorWith().detect(text);

    expect(spans.map((span) => span.type)).toEqual(['FAX', 'PHONE', 'PHONE']);
  });

  it('splits text over the byte limit into calls under it, mapping offsets back and reporting overlaps once', async () => {
    // Prepare: multibyte and astral characters, so bytes, UTF-16 units and code points all differ.
    const fake = fakeDetectPhi();
    comprehend.on(DetectPHICommand).callsFake(fake.respond);
    const text = Array.from({ length: 900 }, (_, n) => `Visit ${n} 😀 for John Smith at the café (Zoë Núñez). `).join(
      '',
    );
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(2 * 18_000);
    expect(Buffer.byteLength(text, 'utf8')).not.toBe(text.length);

    // Act
    const spans = await detectorWith().detect(text);

    // Assess: every call under the limit, every occurrence found exactly once, at the right place.
    const texts = sentTexts();
    expect(texts.length).toBeGreaterThan(2);
    for (const sent of texts) expect(Buffer.byteLength(sent, 'utf8')).toBeLessThan(18_000);
    const names = [...indicesOf(text, 'John Smith'), ...indicesOf(text, 'Zoë Núñez')].sort((a, b) => a - b);
    expect(spans.map((span) => span.begin)).toEqual(names);
    for (const span of spans) expect(['John Smith', 'Zoë Núñez']).toContain(text.slice(span.begin, span.end));
    expect(fake.reported.entities).toBeGreaterThan(names.length);
  });

  it('retries throttling with backoff and full jitter, then returns the spans', async () => {
    const fake = fakeDetectPhi();
    comprehend
      .on(DetectPHICommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
      .rejectsOnce(
        new ComprehendMedicalServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        }),
      )
      .callsFake(fake.respond);

    const spans = await detectorWith({ baseDelayMs: 100 }).detect('Seen: John Smith.');

    expect(spans).toEqual([{ begin: 6, end: 16, type: 'NAME', score: 0.9975, detector: 'comprehend-medical' }]);
    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 3);
    // random() is 0.5 of a ceiling that doubles: 100 ms, then 200 ms.
    expect(sleeps).toEqual([50, 100]);
  });

  it('retries server and network errors', async () => {
    comprehend
      .on(DetectPHICommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .rejectsOnce(
        new ComprehendMedicalServiceException({
          name: 'InternalServerException',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        }),
      )
      .callsFake(fakeDetectPhi().respond);

    const spans = await detectorWith().detect('Seen: John Smith.');

    expect(spans).toHaveLength(1);
    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 3);
  });

  it('fails with PhiDetectionFailed, and no spans, when a chunk is still throttled after every attempt', async () => {
    comprehend.on(DetectPHICommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));

    const error = await failureOf(detectorWith({ baseDelayMs: 100, maxDelayMs: 500 }).detect('Seen: John Smith.'));

    expect(error).toBeInstanceOf(PhiDetectionFailed);
    expect(error).toMatchObject({ reason: 'THROTTLED', code: 'PHI_DETECTION_FAILED', status: 503 });
    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 6);
    expect(sleeps).toEqual([50, 100, 200, 250, 250]);
  });

  it.each([
    ['InvalidRequestException', new InvalidRequestException({ message: 'bad', $metadata: {} })],
    ['TextSizeLimitExceededException', new TextSizeLimitExceededException({ message: 'too big', $metadata: {} })],
    [
      'ValidationException',
      new ComprehendMedicalServiceException({ name: 'ValidationException', $fault: 'client', $metadata: {} }),
    ],
  ])('fails at once, without retrying, on %s', async (_name, rejection) => {
    comprehend.on(DetectPHICommand).rejects(rejection);

    const error = await failureOf(detectorWith().detect('Seen: John Smith.'));

    expect(error).toBeInstanceOf(PhiDetectionFailed);
    expect(error).toMatchObject({ reason: 'REJECTED', causeName: rejection.name });
    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 1);
    expect(sleeps).toEqual([]);
  });

  it('aborts the chunks still in flight when one chunk fails', async () => {
    // Prepare: the first chunk never answers; the second is refused.
    let calls = 0;
    comprehend.on(DetectPHICommand).callsFake(() => {
      calls += 1;
      return calls === 1
        ? new Promise(() => {})
        : Promise.reject(new InvalidRequestException({ message: 'bad', $metadata: {} }));
    });
    const text = 'John Smith was seen today. '.repeat(40);

    const error = await failureOf(detectorWith({ maxChunkBytes: 100, overlapChars: 10 }).detect(text));

    expect(error).toMatchObject({ reason: 'REJECTED' });
    const firstCallOptions = (comprehend.send.getCall(0).args as unknown[])[1] as { abortSignal?: AbortSignal };
    expect(firstCallOptions.abortSignal?.aborted).toBe(true);
    // Four workers started four chunks; none started another after the failure.
    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 4);
  });

  it("stops and fails when the caller's signal aborts", async () => {
    comprehend.on(DetectPHICommand).callsFake(() => new Promise(() => {}));
    const caller = new AbortController();

    const detection = failureOf(detectorWith().detect('Seen: John Smith.', caller.signal));
    caller.abort();

    expect(await detection).toMatchObject({ reason: 'ABORTED' });
    await expect(detectorWith().detect('Seen: John Smith.', caller.signal)).rejects.toMatchObject({
      reason: 'ABORTED',
    });
    expect(comprehend).toHaveReceivedCommandTimes(DetectPHICommand, 1);
  });

  it('fails closed when the offsets do not locate the entity text', async () => {
    comprehend.on(DetectPHICommand).resolves({
      ModelVersion: '2.4.0',
      Entities: [
        {
          Id: 0,
          BeginOffset: 0,
          EndOffset: 10,
          Score: 0.99,
          Text: 'John Smith',
          Category: 'PROTECTED_HEALTH_INFORMATION',
          Type: 'NAME',
          Traits: [],
        },
      ],
    });

    await expect(detectorWith().detect('Seen: John Smith.')).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
  });

  it('fails closed when the service says its answer was truncated', async () => {
    comprehend.on(DetectPHICommand).resolves({ ModelVersion: '2.4.0', Entities: [], PaginationToken: 'next' });

    await expect(detectorWith().detect('Seen: John Smith.')).rejects.toMatchObject({ reason: 'TRUNCATED' });
  });

  it('marks a PHI type it does not know as ID rather than dropping it', async () => {
    comprehend.on(DetectPHICommand).resolves({
      ModelVersion: '2.4.0',
      Entities: [
        {
          Id: 0,
          BeginOffset: 6,
          EndOffset: 16,
          Score: 0.8,
          Text: 'ABC-123-XY',
          Category: 'PROTECTED_HEALTH_INFORMATION',
          Type: 'BIOMETRIC_ID' as EntitySubType,
          Traits: [],
        },
      ],
    });

    await expect(detectorWith().detect('Seen: ABC-123-XY.')).resolves.toMatchObject([
      { begin: 6, end: 16, type: 'ID' },
    ]);
  });

  it('holds calls to the characters-per-second budget', async () => {
    // Prepare: five 40-character sentences, one per chunk, against a budget of 100 characters a second.
    comprehend.on(DetectPHICommand).callsFake(fakeDetectPhi().respond);
    const sentence = 'Patient seen today for John Smith visit. ';
    expect(sentence).toHaveLength(41);
    const text = sentence.repeat(5);

    await detectorWith({ charactersPerSecond: 100, maxChunkBytes: 64, overlapChars: 0, concurrency: 1 }).detect(text);

    // The first 100 characters pass at once; after that each 41 waits its 410 ms, less what refilled meanwhile.
    expect(sentTexts()).toEqual(Array.from({ length: 5 }, () => sentence));
    expect(sleeps).toHaveLength(3);
    expect(sleeps[0]).toBeCloseTo(230);
    expect(sleeps[1]).toBeCloseTo(410);
    expect(sleeps[2]).toBeCloseTo(410);
  });

  it('shares the budget between concurrent chunks, queueing them rather than sending at once', async () => {
    comprehend.on(DetectPHICommand).callsFake(fakeDetectPhi().respond);
    const sentence = 'Patient seen today for John Smith visit. ';
    const detector = new ComprehendMedicalDetector(new ComprehendMedicalClient({ region: 'us-east-1' }), {
      charactersPerSecond: 100,
      maxChunkBytes: 64,
      overlapChars: 0,
      concurrency: 4,
      now: () => 0,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
    });

    await detector.detect(sentence.repeat(5));

    // With the clock stopped, each reservation waits for all before it: 23, 64 and 105 characters over budget.
    expect(sleeps.sort((a, b) => a - b).map(Math.round)).toEqual([230, 640, 1050]);
  });
});
