/**
 * Every custom metric the system publishes, declared once: the emitters look their unit and dimensions up here,
 * and the dashboard, the alarms and `cag ops summary` iterate the same table, so a metric cannot drift between them.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as MetricUnitName } from '@aws-lambda-powertools/metrics/types';

/** The dashboard section (row) a metric is drawn in. */
export type MetricSection =
  | 'overview'
  | 'deidentification'
  | 'ai-gateway'
  | 'drafts'
  | 'transcription'
  | 'events-audit'
  | 'infrastructure';

/**
 * The only dimension names allowed. Their values are route keys, function names, codes and model ids, never
 * request content: a dimension value becomes a CloudWatch metric name component, visible to anyone with
 * `cloudwatch:ListMetrics`, and it is kept for 15 months.
 */
export const DIMENSION_NAMES = [
  'route',
  'function',
  'entityType',
  'detector',
  'reason',
  'code',
  'useCase',
  'model',
  'transcriber',
] as const;
export type DimensionName = (typeof DIMENSION_NAMES)[number];
export type MetricDimensions = Readonly<Partial<Record<DimensionName, string>>>;

/** How a metric is read: summed counts, or a distribution read at p95 (latencies). */
export type MetricReading = 'sum' | 'p95' | 'average';

export interface MetricDeclaration {
  readonly unit: MetricUnitName;
  readonly description: string;
  readonly section: MetricSection;
  readonly reading: MetricReading;
  /**
   * Dimension sets the metric is published under in addition to the bare `service` set (which always exists, so
   * totals and alarms never need a search expression). Per-invocation metrics take `route` (HTTP) or `function`
   * (events, schedules) from the handler wrapper.
   */
  readonly dimensions: readonly (readonly DimensionName[])[];
  /** Who emits it, for a reader looking for the code. */
  readonly emittedBy: string;
}

const PER_INVOCATION = [['route'], ['function']] as const;

export const METRIC_CATALOG = {
  Requests: {
    unit: MetricUnit.Count,
    description: 'Invocations: HTTP requests per route; events, schedules and WebSocket routes per function',
    section: 'overview',
    reading: 'sum',
    dimensions: PER_INVOCATION,
    emittedBy:
      'shared/api/http-handler.ts, shared/events/event-handler.ts, shared/events/scheduled-handler.ts, ' +
      'shared/transcription/socket-handler.ts',
  },
  Latency: {
    unit: MetricUnit.Milliseconds,
    description: 'Time in the handler, per route or function',
    section: 'overview',
    reading: 'p95',
    dimensions: PER_INVOCATION,
    emittedBy: 'the handler wrappers',
  },
  ServerErrors: {
    unit: MetricUnit.Count,
    description: '1 per 5xx response or failed event/scheduled invocation, 0 otherwise (its average is the error rate)',
    section: 'overview',
    reading: 'sum',
    dimensions: PER_INVOCATION,
    emittedBy: 'the handler wrappers',
  },
  ClientErrors: {
    unit: MetricUnit.Count,
    description: '1 per 4xx response, 0 otherwise',
    section: 'overview',
    reading: 'sum',
    dimensions: [['route']],
    emittedBy: 'shared/api/http-handler.ts',
  },
  PolicyRefusals: {
    unit: MetricUnit.Count,
    description: 'Requests refused by policy (403), by stable error code: role, panel, AI policy, consent',
    section: 'ai-gateway',
    reading: 'sum',
    dimensions: [['code']],
    emittedBy: 'shared/api/http-handler.ts',
  },
  FailClosedRefusals: {
    unit: MetricUnit.Count,
    description: 'Requests refused because a safeguard could not complete (detector, vault, audit), by reason',
    section: 'deidentification',
    reading: 'sum',
    dimensions: [['reason']],
    emittedBy:
      'shared/phi/scan-text.ts, shared/phi/deidentify.ts, shared/api/http-handler.ts, shared/transcription (socket routes)',
  },
  PhiEntities: {
    unit: MetricUnit.Count,
    description: 'PHI entities detected, by entity type and by detector',
    section: 'deidentification',
    reading: 'sum',
    dimensions: [['entityType'], ['detector']],
    emittedBy: 'shared/phi/scan-text.ts',
  },
  QuarantinedOutputs: {
    unit: MetricUnit.Count,
    description: 'Model replies withheld by the output check (an identifier that is not a vault token)',
    section: 'ai-gateway',
    reading: 'sum',
    dimensions: [['useCase']],
    emittedBy: 'shared/ai/ai-gateway.ts',
  },
  ModelCalls: {
    unit: MetricUnit.Count,
    description: 'Completed model calls, by use case and model',
    section: 'ai-gateway',
    reading: 'sum',
    dimensions: [['useCase', 'model']],
    emittedBy: 'shared/ai/ai-gateway.ts',
  },
  ModelInputTokens: {
    unit: MetricUnit.Count,
    description: 'Prompt tokens, by use case and model',
    section: 'ai-gateway',
    reading: 'sum',
    dimensions: [['useCase', 'model']],
    emittedBy: 'shared/ai/ai-gateway.ts',
  },
  ModelOutputTokens: {
    unit: MetricUnit.Count,
    description: 'Completion tokens, by use case and model',
    section: 'ai-gateway',
    reading: 'sum',
    dimensions: [['useCase', 'model']],
    emittedBy: 'shared/ai/ai-gateway.ts',
  },
  ModelLatency: {
    unit: MetricUnit.Milliseconds,
    description: 'Model call latency, by use case and model',
    section: 'ai-gateway',
    reading: 'p95',
    dimensions: [['useCase', 'model']],
    emittedBy: 'shared/ai/ai-gateway.ts',
  },
  ModelCostUsd: {
    unit: MetricUnit.NoUnit,
    description: 'Estimated model cost in US dollars at list price, by use case and model',
    section: 'ai-gateway',
    reading: 'sum',
    dimensions: [['useCase', 'model']],
    emittedBy: 'shared/ai/ai-gateway.ts',
  },
  DetectorCharacters: {
    unit: MetricUnit.Count,
    description: 'Characters sent to a PHI detector, by detector (Comprehend Medical bills per 100 characters)',
    section: 'deidentification',
    reading: 'sum',
    dimensions: [['detector']],
    emittedBy: 'shared/phi/scan-text.ts',
  },
  DraftsRequested: {
    unit: MetricUnit.Count,
    description: 'Drafts requested',
    section: 'drafts',
    reading: 'sum',
    dimensions: [],
    emittedBy: 'drafts workflow',
  },
  DraftsReady: {
    unit: MetricUnit.Count,
    description: 'Drafts generated and waiting for review',
    section: 'drafts',
    reading: 'sum',
    dimensions: [],
    emittedBy: 'drafts workflow',
  },
  DraftsFailed: {
    unit: MetricUnit.Count,
    description: 'Drafts that failed, by reason code',
    section: 'drafts',
    reading: 'sum',
    dimensions: [['reason']],
    emittedBy: 'drafts workflow',
  },
  DraftsApproved: {
    unit: MetricUnit.Count,
    description: 'Drafts approved by a reviewer',
    section: 'drafts',
    reading: 'sum',
    dimensions: [],
    emittedBy: 'drafts workflow',
  },
  DraftsRejected: {
    unit: MetricUnit.Count,
    description: 'Drafts rejected by a reviewer',
    section: 'drafts',
    reading: 'sum',
    dimensions: [],
    emittedBy: 'drafts workflow',
  },
  DraftReviewLatency: {
    unit: MetricUnit.Milliseconds,
    description: 'Time from a draft being ready to its review decision',
    section: 'drafts',
    reading: 'p95',
    dimensions: [],
    emittedBy: 'drafts workflow',
  },
  TranscribedAudioSeconds: {
    unit: MetricUnit.Seconds,
    description: 'Seconds of encounter audio transcribed, by transcriber (Transcribe Medical bills per second)',
    section: 'transcription',
    reading: 'sum',
    dimensions: [['transcriber']],
    emittedBy: 'encounter transcription',
  },
  TranscriptionBilledSeconds: {
    unit: MetricUnit.Seconds,
    description:
      'Seconds Transcribe Medical bills: each segment is one stream, billed for max(15 s, its duration); what the cost ' +
      'estimates use (a 3 s segment bills 15 s)',
    section: 'transcription',
    reading: 'sum',
    dimensions: [['transcriber']],
    emittedBy: 'encounter transcription (clinical-grade transcribers only)',
  },
  TranscriptSegmentLatency: {
    unit: MetricUnit.Milliseconds,
    description: "From the end of a segment's audio to its final text pushed to the client",
    section: 'transcription',
    reading: 'p95',
    dimensions: [],
    emittedBy: 'encounter transcription',
  },
  TranscriptionFailures: {
    unit: MetricUnit.Count,
    description: 'Transcription failures, by reason (THROTTLED, BAD_AUDIO, LIMIT_EXCEEDED, UNAVAILABLE, TIMEOUT)',
    section: 'transcription',
    reading: 'sum',
    dimensions: [['reason']],
    emittedBy: 'encounter transcription',
  },
  AuditEventsPublished: {
    unit: MetricUnit.Count,
    description: 'Audit.Recorded events published to the bus',
    section: 'events-audit',
    reading: 'sum',
    dimensions: [],
    emittedBy: 'shared/audit/event-audit-sink.ts',
  },
  AuditRecordsWritten: {
    unit: MetricUnit.Count,
    description: 'Audit records appended to the hash-chained audit table',
    section: 'events-audit',
    reading: 'sum',
    dimensions: [],
    emittedBy: 'functions/audit-writer/handler.ts',
  },
  AuditWriteLag: {
    unit: MetricUnit.Milliseconds,
    description: 'From the audited act to its record being written',
    section: 'events-audit',
    reading: 'p95',
    dimensions: [],
    emittedBy: 'functions/audit-writer/handler.ts',
  },
  EventAge: {
    unit: MetricUnit.Milliseconds,
    description: 'From an event being put on the bus to its consumer starting, per function',
    section: 'events-audit',
    reading: 'p95',
    dimensions: [['function']],
    emittedBy: 'shared/events/event-handler.ts',
  },
} as const satisfies Record<string, MetricDeclaration>;

export type MetricName = keyof typeof METRIC_CATALOG;

export const METRIC_NAMES = Object.keys(METRIC_CATALOG) as MetricName[];

export function isCatalogMetric(name: string): name is MetricName {
  return Object.hasOwn(METRIC_CATALOG, name);
}

// A route key (`POST /v1/drafts/{draftId}`: the resource template, never a path value) or a code/identifier.
const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/[A-Za-z0-9/{}._+-]{0,200}$/;
// Parentheses and `+` admit ensemble detector names such as `ensemble(local-rules+comprehend-medical)`.
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:/@()+-]{0,127}$/;

/** Anything that does not look like a route key or identifier is published as this instead. */
export const UNRECOGNIZED_DIMENSION_VALUE = 'other';

/** Keeps a dimension value only when it cannot be prose (which could hold PHI). */
export function safeDimensionValue(name: DimensionName, value: string): string {
  if (name === 'route') return ROUTE_KEY.test(value) ? value : UNRECOGNIZED_DIMENSION_VALUE;
  return IDENTIFIER.test(value) ? value : UNRECOGNIZED_DIMENSION_VALUE;
}
