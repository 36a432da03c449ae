import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordMetric } from '../../../shared/observability/record-metric.ts';
import { metrics, metricsScope } from '../../../shared/observability/telemetry.ts';

type Document = EmfOutput & Record<string, unknown>;

describe('invocation metrics', () => {
  let written: Document[];
  let removeSink: () => void;

  beforeEach(() => {
    written = [];
    removeSink = metricsScope.addSink((_line, emf) => written.push(emf as Document));
  });
  afterEach(() => removeSink());

  const dimensionSets = (document: Document) => document._aws.CloudWatchMetrics[0]?.Dimensions;
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('keeps concurrent invocations apart: each document carries its own route and only its own values', async () => {
    // Prepare: two invocations interleaved at every await, as the local runtime runs them.
    const invocation = (route: string, value: number) =>
      metricsScope.run({ route }, async () => {
        metrics.addMetric('Requests', MetricUnit.Count, 1);
        await tick();
        metrics.addMetric('Latency', MetricUnit.Milliseconds, value);
        await tick();
      });

    // Act
    await Promise.all([invocation('POST /v1/deidentify', 11), invocation('GET /v1/health', 22)]);

    // Assess
    expect(written).toHaveLength(2);
    const byRoute = new Map(written.map((document) => [document.route, document]));
    expect(byRoute.get('POST /v1/deidentify')).toMatchObject({ Requests: 1, Latency: 11 });
    expect(byRoute.get('GET /v1/health')).toMatchObject({ Requests: 1, Latency: 22 });
  });

  it('publishes every invocation metric per route and in total', async () => {
    await metricsScope.run({ route: 'POST /v1/phi/scan' }, async () => {
      recordMetric('Requests', 1);
    });
    expect(dimensionSets(written[0] as Document)).toEqual([['service', 'route'], ['service']]);
  });

  it('publishes a metric with dimensions of its own under each declared set and in total, separately', async () => {
    await metricsScope.run({ route: 'POST /v1/deidentify' }, async () => {
      recordMetric('PhiEntities', 3, { entityType: 'NAME', detector: 'local-rules' });
      recordMetric('Requests', 1);
    });
    const phi = written.find((document) => 'PhiEntities' in document) as Document;
    expect(phi).toMatchObject({ PhiEntities: 3, entityType: 'NAME', detector: 'local-rules' });
    expect(dimensionSets(phi)).toEqual([['service', 'entityType'], ['service', 'detector'], ['service']]);
    expect(phi.route).toBeUndefined();
  });

  it('never publishes a dimension value that could be prose', async () => {
    await metricsScope.run({ route: 'POST /v1/drafts/Ada Lovelace' }, async () => {
      recordMetric('DraftsFailed', 1, { reason: 'patient Ada Lovelace said so' });
      recordMetric('Requests', 1);
    });
    const text = JSON.stringify(written);
    expect(text).not.toContain('Lovelace');
    expect(written.map((document) => document.route ?? document.reason)).toEqual(['other', 'other']);
  });

  it('writes what was added outside any invocation with the next invocation, once', async () => {
    metrics.addMetric('AuditEventsPublished', MetricUnit.Count, 1);
    await metricsScope.run({ function: 'auditWriter' }, async () => {});
    await metricsScope.run({ function: 'auditWriter' }, async () => {});
    expect(written.filter((document) => 'AuditEventsPublished' in document)).toHaveLength(1);
  });

  it('routes singleMetric() into the invocation instead of printing around the sinks', async () => {
    await metricsScope.run({ function: 'transcriber' }, async () => {
      const single = metrics.singleMetric();
      single.addDimension('transcriber', 'loopback');
      single.addMetric('TranscribedAudioSeconds', MetricUnit.Seconds, 30);
    });
    const seconds = written.find((document) => 'TranscribedAudioSeconds' in document) as Document;
    expect(seconds).toMatchObject({ TranscribedAudioSeconds: 30, transcriber: 'loopback' });
    expect(dimensionSets(seconds)).toEqual([['service', 'transcriber'], ['service']]);
  });

  it('still writes the metrics of an invocation that throws', async () => {
    await expect(
      metricsScope.run({ function: 'failing' }, async () => {
        recordMetric('Requests', 1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(written).toContainEqual(expect.objectContaining({ Requests: 1, function: 'failing' }));
  });
});
