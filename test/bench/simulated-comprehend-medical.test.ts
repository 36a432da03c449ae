import { DetectEntitiesV2Command, DetectPHICommand } from '@aws-sdk/client-comprehendmedical';
import { describe, expect, it } from 'vitest';
import type { LabelledSpan } from '../../bench/deid/deid-metrics.ts';
import {
  COMPREHEND_TYPE_FOR,
  isSimulatedMiss,
  SimulatedComprehendMedical,
  simulateDetectPhi,
} from '../../bench/deid/simulated-comprehend-medical.ts';

const text = 'hi dr lee 😊 call Ana at 217-555-0134 or fax 217-555-0199';
const gold: LabelledSpan[] = [
  { begin: 6, end: 9, type: 'NAME' },
  { begin: 18, end: 21, type: 'NAME' },
  { begin: 25, end: 37, type: 'PHONE' },
  { begin: 45, end: 57, type: 'FAX' },
];

describe('simulateDetectPhi', () => {
  it("answers with Comprehend's own types and code point offsets, as the real API does", () => {
    const entities = simulateDetectPhi(text, gold, text, 0, 0);

    expect(entities.map((entity) => entity.Type)).toEqual(['NAME', 'NAME', 'PHONE_OR_FAX', 'PHONE_OR_FAX']);
    // The emoji is two UTF-16 units but one code point, so offsets after it are one lower than JavaScript's.
    expect(entities[1]).toMatchObject({
      BeginOffset: 17,
      EndOffset: 20,
      Text: 'Ana',
      Category: 'PROTECTED_HEALTH_INFORMATION',
    });
    expect(entities[0]).toMatchObject({ BeginOffset: 6, EndOffset: 9 });
  });

  it('answers for a chunk of the note with offsets relative to the chunk, clipping spans at its edges', () => {
    const chunk = text.slice(20, 40);

    const entities = simulateDetectPhi(text, gold, chunk, 20, 0);

    expect(entities.map((entity) => entity.Text)).toEqual(['a', '217-555-0134']);
    expect(entities[1]).toMatchObject({ BeginOffset: 5, EndOffset: 17 });
  });

  it('drops a fixed, deterministic share of strings', () => {
    const strings = Array.from({ length: 4000 }, (_, i) => `Patient${i}`);

    const dropped = strings.filter((value) => isSimulatedMiss('NAME', value, 0.12));

    expect(dropped.length / strings.length).toBeGreaterThan(0.1);
    expect(dropped.length / strings.length).toBeLessThan(0.14);
    expect(strings.filter((value) => isSimulatedMiss('NAME', value, 0.12))).toEqual(dropped);
  });

  it('maps every one of our PHI types onto a Comprehend Medical PHI type', () => {
    expect(new Set(Object.values(COMPREHEND_TYPE_FOR))).toEqual(
      new Set(['NAME', 'AGE', 'DATE', 'ADDRESS', 'ID', 'EMAIL', 'PHONE_OR_FAX', 'URL', 'PROFESSION']),
    );
  });
});

describe('SimulatedComprehendMedical', () => {
  it('answers DetectPHICommand for text from the note it was given', async () => {
    const simulation = new SimulatedComprehendMedical(0);
    simulation.answerFrom({ text, entities: gold });

    const output = await simulation.client.send(new DetectPHICommand({ Text: text.slice(10) }));

    expect(output.Entities?.map((entity) => entity.Text)).toEqual(['Ana', '217-555-0134', '217-555-0199']);
    expect(simulation.stats).toEqual({ calls: 1, unmatched: 0 });
  });

  it('rejects text of 20,000 bytes or more and commands other than DetectPHI, like the service', async () => {
    const simulation = new SimulatedComprehendMedical();
    const long = 'é'.repeat(10_000);
    simulation.answerFrom({ text: long, entities: [] });

    await expect(simulation.client.send(new DetectPHICommand({ Text: long }))).rejects.toMatchObject({
      name: 'TextSizeLimitExceededException',
    });
    await expect(simulation.client.send(new DetectEntitiesV2Command({ Text: 'x' }))).rejects.toThrow(
      /only DetectPHICommand/,
    );
  });

  it('counts requests whose text is not part of the note and answers them with nothing', async () => {
    const simulation = new SimulatedComprehendMedical();
    simulation.answerFrom({ text, entities: gold });

    const output = await simulation.client.send(new DetectPHICommand({ Text: 'something else' }));

    expect(output.Entities).toEqual([]);
    expect(simulation.stats.unmatched).toBe(1);
  });
});
