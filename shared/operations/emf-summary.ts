/**
 * Summarises embedded-metric-format lines (the local runtime's `metrics.jsonl`, or lines copied from CloudWatch
 * Logs): totals per metric, requests, errors and latency percentiles per route or function, breakdowns by
 * dimension, and what the same usage would cost on AWS. Lines that are not EMF are counted and skipped.
 */
import { z } from 'zod';
import { WORKLOAD_ASSUMPTIONS } from './cost-model.ts';
import { PRICES } from './pricing-table.ts';

const EmfDocument = z
  .object({
    _aws: z.object({
      Timestamp: z.number(),
      CloudWatchMetrics: z
        .array(
          z.object({
            Namespace: z.string(),
            Dimensions: z.array(z.array(z.string())),
            Metrics: z.array(z.object({ Name: z.string(), Unit: z.string().optional() })),
          }),
        )
        .min(1),
    }),
  })
  .catchall(z.unknown());
type EmfDocument = z.output<typeof EmfDocument>;

export interface MetricTotal {
  readonly unit: string;
  readonly values: number;
  readonly sum: number;
}

export interface InvocationStats {
  /** A route key (`POST /v1/deidentify`) or, for events and schedules, the function name. */
  readonly key: string;
  readonly requests: number;
  readonly serverErrors: number;
  readonly clientErrors: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
}

export interface EmfSummary {
  readonly documents: number;
  readonly skippedLines: number;
  readonly from?: string;
  readonly to?: string;
  readonly metrics: Readonly<Record<string, MetricTotal>>;
  readonly invocations: readonly InvocationStats[];
  /** Metric -> `dimension=value` -> sum, for every dimension other than service, route and function. */
  readonly breakdowns: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The usage-dependent part of an AWS bill for the same activity (no fixed monthly floor). */
  readonly estimatedCostUsd: {
    readonly models: number;
    readonly transcription: number;
    readonly phiDetection: number;
    readonly requests: number;
    readonly total: number;
  };
}

const INVOCATION_KEYS = ['route', 'function'] as const;
const NOT_BREAKDOWNS = new Set(['service', ...INVOCATION_KEYS]);

function valuesOf(raw: unknown): number[] {
  if (typeof raw === 'number' && Number.isFinite(raw)) return [raw];
  if (Array.isArray(raw)) return raw.filter((value): value is number => typeof value === 'number');
  return [];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function parseEmfLine(line: string): EmfDocument | undefined {
  if (!line.trim().startsWith('{')) return undefined;
  try {
    const parsed = EmfDocument.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function summarizeEmf(lines: Iterable<string>): EmfSummary {
  const metrics = new Map<string, { unit: string; values: number; sum: number }>();
  const perKey = new Map<string, { requests: number; serverErrors: number; clientErrors: number; latency: number[] }>();
  const breakdowns = new Map<string, Map<string, number>>();
  let documents = 0;
  let skippedLines = 0;
  let first: number | undefined;
  let last: number | undefined;

  for (const line of lines) {
    if (line.trim() === '') continue;
    const document = parseEmfLine(line);
    if (!document) {
      skippedLines += 1;
      continue;
    }
    documents += 1;
    const time = document._aws.Timestamp;
    first = first === undefined ? time : Math.min(first, time);
    last = last === undefined ? time : Math.max(last, time);
    const directive = document._aws.CloudWatchMetrics[0];
    if (!directive) continue;
    const dimensionNames = new Set(directive.Dimensions.flat());
    const invocationKey = INVOCATION_KEYS.filter((name) => dimensionNames.has(name))
      .map((name) => document[name])
      .find((value): value is string => typeof value === 'string');

    for (const definition of directive.Metrics) {
      const values = valuesOf(document[definition.Name]);
      const sum = values.reduce((total, value) => total + value, 0);
      const total = metrics.get(definition.Name) ?? { unit: definition.Unit ?? 'None', values: 0, sum: 0 };
      total.values += values.length;
      total.sum += sum;
      metrics.set(definition.Name, total);

      if (invocationKey) {
        const stats = perKey.get(invocationKey) ?? { requests: 0, serverErrors: 0, clientErrors: 0, latency: [] };
        if (definition.Name === 'Requests') stats.requests += sum;
        if (definition.Name === 'ServerErrors') stats.serverErrors += sum;
        if (definition.Name === 'ClientErrors') stats.clientErrors += sum;
        if (definition.Name === 'Latency') stats.latency.push(...values);
        perKey.set(invocationKey, stats);
      }
      for (const name of dimensionNames) {
        const value = document[name];
        if (NOT_BREAKDOWNS.has(name) || typeof value !== 'string') continue;
        const byValue = breakdowns.get(definition.Name) ?? new Map<string, number>();
        byValue.set(`${name}=${value}`, (byValue.get(`${name}=${value}`) ?? 0) + sum);
        breakdowns.set(definition.Name, byValue);
      }
    }
  }

  const sumOf = (name: string) => metrics.get(name)?.sum ?? 0;
  const models = sumOf('ModelCostUsd');
  // Billed seconds (15 s minimum per segment's stream), not audio seconds: a 3 s segment costs 15 s.
  const transcription = (sumOf('TranscriptionBilledSeconds') / 60) * PRICES.transcribeMedicalPerMinute.usd;
  const phiDetection = (sumOf('DetectorCharacters') / 100) * PRICES.comprehendMedicalPhiPerUnit.usd;
  const requests =
    sumOf('Requests') *
    (PRICES.lambdaPerMillionRequests.usd / 1e6 +
      WORKLOAD_ASSUMPTIONS.invocationGbSeconds * PRICES.lambdaArmPerGbSecond.usd +
      PRICES.apiGatewayRestPerMillion.usd / 1e6);

  return {
    documents,
    skippedLines,
    ...(first !== undefined ? { from: new Date(first).toISOString() } : {}),
    ...(last !== undefined ? { to: new Date(last).toISOString() } : {}),
    metrics: Object.fromEntries(
      [...metrics.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, total]) => [name, { unit: total.unit, values: total.values, sum: round(total.sum, 6) }]),
    ),
    invocations: [...perKey.entries()]
      .map(([key, stats]) => {
        const sorted = [...stats.latency].sort((a, b) => a - b);
        return {
          key,
          requests: stats.requests,
          serverErrors: stats.serverErrors,
          clientErrors: stats.clientErrors,
          latencyMs: {
            p50: round(percentile(sorted, 50), 1),
            p95: round(percentile(sorted, 95), 1),
            p99: round(percentile(sorted, 99), 1),
            max: round(sorted.at(-1) ?? 0, 1),
          },
        };
      })
      .sort((a, b) => b.requests - a.requests || a.key.localeCompare(b.key)),
    breakdowns: Object.fromEntries(
      [...breakdowns.entries()].map(([name, byValue]) => [name, Object.fromEntries([...byValue.entries()].sort())]),
    ),
    estimatedCostUsd: {
      models: round(models, 6),
      transcription: round(transcription, 6),
      phiDetection: round(phiDetection, 6),
      requests: round(requests, 6),
      total: round(models + transcription + phiDetection + requests, 6),
    },
  };
}
