import { describe, expect, it } from 'vitest';
import { summarizeEmf } from '../../../shared/operations/emf-summary.ts';

/** An EMF document as the handler wrappers write it (Powertools' serialization). */
function emf(dimensions: string[][], values: Record<string, number | number[]>, keys: Record<string, string>, at = 0) {
  return JSON.stringify({
    _aws: {
      Timestamp: Date.UTC(2026, 10, 26, 9, 0, at),
      CloudWatchMetrics: [
        {
          Namespace: 'ClinicalAiGateway',
          Dimensions: dimensions,
          Metrics: Object.keys(values).map((Name) => ({
            Name,
            Unit: Name.includes('Latency') ? 'Milliseconds' : 'Count',
          })),
        },
      ],
    },
    service: 'clinical-ai-gateway',
    ...keys,
    ...values,
  });
}

const route = (key: string, latency: number, serverError = 0, clientError = 0) =>
  emf(
    [['service', 'route'], ['service']],
    { Requests: 1, Latency: latency, ServerErrors: serverError, ClientErrors: clientError },
    { route: key },
  );

describe('summarizeEmf', () => {
  it('counts requests and errors per route and reads latency percentiles by nearest rank', () => {
    const lines = [
      ...Array.from({ length: 20 }, (_, index) => route('POST /v1/deidentify', (index + 1) * 10, index === 19 ? 1 : 0)),
      route('GET /v1/health', 3, 0, 1),
    ];
    const summary = summarizeEmf(lines);
    const deidentify = summary.invocations.find((row) => row.key === 'POST /v1/deidentify');
    // Latencies 10..200 ms: p50 is the 10th value, p95 the 19th, p99 the 20th.
    expect(deidentify).toEqual({
      key: 'POST /v1/deidentify',
      requests: 20,
      serverErrors: 1,
      clientErrors: 0,
      latencyMs: { p50: 100, p95: 190, p99: 200, max: 200 },
    });
    expect(summary.invocations.map((row) => row.key)).toEqual(['POST /v1/deidentify', 'GET /v1/health']);
    expect(summary.metrics.Requests).toEqual({ unit: 'Count', values: 21, sum: 21 });
  });

  it('breaks metrics down by their own dimensions and counts each document once in the totals', () => {
    const lines = [
      emf(
        [['service', 'entityType'], ['service', 'detector'], ['service']],
        { PhiEntities: 3 },
        { entityType: 'NAME', detector: 'local-rules' },
      ),
      emf(
        [['service', 'entityType'], ['service', 'detector'], ['service']],
        { PhiEntities: [1, 1] },
        { entityType: 'DATE', detector: 'local-rules' },
      ),
    ];
    const summary = summarizeEmf(lines);
    expect(summary.metrics.PhiEntities?.sum).toBe(5);
    expect(summary.breakdowns.PhiEntities).toEqual({
      'detector=local-rules': 5,
      'entityType=DATE': 2,
      'entityType=NAME': 3,
    });
  });

  it('prices the usage: model cost as computed, transcription per billed minute, detector characters per 100', () => {
    const lines = [
      emf([['service']], { ModelCostUsd: 0.0125 }, {}),
      // 200 segments of 3 s: 600 s of audio, but each stream is billed 15 s = 3,000 s.
      emf(
        [['service', 'transcriber'], ['service']],
        { TranscribedAudioSeconds: 600, TranscriptionBilledSeconds: 3_000 },
        { transcriber: 'aws-transcribe-medical' },
      ),
      emf([['service', 'detector'], ['service']], { DetectorCharacters: 10_000 }, { detector: 'comprehend-medical' }),
    ];
    const cost = summarizeEmf(lines).estimatedCostUsd;
    expect(cost.models).toBe(0.0125);
    expect(cost.transcription).toBeCloseTo(50 * 0.075, 6); // 3,000 billed s = 50 min at $0.075
    expect(cost.phiDetection).toBeCloseTo(100 * 0.00014, 6); // 10,000 characters = 100 units
    expect(cost.total).toBeCloseTo(0.0125 + 3.75 + 0.014, 6);
  });

  it('skips log lines that are not EMF and reports how many', () => {
    const summary = summarizeEmf([
      '{"level":"INFO","message":"local runtime started"}',
      'not json',
      '',
      route('GET /v1/health', 2),
    ]);
    expect(summary).toMatchObject({ documents: 1, skippedLines: 2 });
    expect(summary.from).toBe('2026-11-26T09:00:00.000Z');
  });
});
