/**
 * The monthly cost of running the gateway for a practice's workload, by AWS service, and per encounter: used by
 * `cag cost`, and (through `liveEstimateCoefficients`) by the dashboard's live estimate and the budget alarm.
 * Pure arithmetic over the pricing table and declared workload assumptions; no AWS call.
 */
import { estimateCostUsd } from '../ai/model-pricing.ts';
import { billedStreamSeconds, HOURS_PER_MONTH, PRICES } from './pricing-table.ts';

export interface CostScenario {
  readonly encountersPerDay: number;
  readonly minutesPerEncounter: number;
  /** Record summaries, letters and other drafts beyond the one SOAP draft each encounter produces. */
  readonly summariesPerDay: number;
  /** Coding reviews (one InferICD10CM call on the note plus a model call). */
  readonly codingReviewsPerDay: number;
  readonly workingDays: number;
  readonly azs: number;
  /** Bedrock model id used for drafts; must be in `shared/ai/model-pricing.ts`. */
  readonly modelId: string;
}

/** What the deployment itself consists of: the fixed monthly floor. Derived from the topology by the CLI. */
export interface DeploymentShape {
  readonly interfaceEndpoints: number;
  readonly kmsKeys: number;
  readonly customMetricSeries: number;
  readonly alarms: number;
  readonly dashboards: number;
  /** Web ACL rules (REGIONAL API); 0 with a PRIVATE API, which has no WAF. */
  readonly wafRules: number;
  /** Audit archive, CloudTrail logs and access logs at rest. */
  readonly s3StoredGb: number;
  /** DynamoDB data (audit trail, vault, knowledge) at rest, with point-in-time recovery. */
  readonly dynamoDbStoredGb: number;
}

/** Per-unit workload assumptions, each with why; `cag cost --json` prints them so they can be challenged. */
export const WORKLOAD_ASSUMPTIONS = {
  /** About 150 spoken words a minute at about 6 characters a word, spaces included. */
  transcriptCharsPerMinute: 900,
  /** English text averages about 4 characters per token for the models in the pricing table. */
  charsPerToken: 4,
  /** System prompt and template around the sources. */
  promptOverheadTokens: 1_200,
  soapOutputTokens: 900,
  summarySourceChars: 12_000,
  summaryOutputTokens: 700,
  codingSourceChars: 6_000,
  codingOutputTokens: 600,
  /** The generator Lambda waits on the model: 512 MB for about 15 s per draft. */
  modelCallGbSeconds: 7.5,
  /** A typical API or event invocation: 512 MB for about 300 ms. */
  invocationGbSeconds: 0.15,
  /** REST calls per encounter: start and end, draft polls, review, re-identification. */
  restRequestsPerEncounter: 12,
  restRequestsPerDraft: 4,
  /**
   * Audio per segment: each segment is one StartMedicalStreamTranscription, billed for at least 15 s. A PCM segment
   * fills one socket message at most (90 KiB, 2.88 s at 16 kHz) and the CLI cuts at pauses, so segments are at most
   * this long: the estimate assumes full segments, the cheapest case.
   */
  audioSecondsPerSegment: 2.88,
  /** One audio WebSocket message a second, plus transcript pushes back. */
  websocketMessagesPerMinute: 90,
  /** 16 kHz 16-bit mono PCM is 1.92 MB a minute through the transcribe-streaming endpoint. */
  endpointGbPerAudioMinute: 0.00192,
  /** Audit events per encounter and per draft: one per audited act, each an EventBridge event and a write. */
  auditEventsPerEncounter: 20,
  auditEventsPerDraft: 6,
  dynamoWritesPerEncounter: 60,
  dynamoReadsPerEncounter: 120,
  dynamoWritesPerDraft: 20,
  dynamoReadsPerDraft: 40,
  /** Vault data keys, token MACs and re-identification decrypts. */
  kmsRequestsPerEncounter: 40,
  kmsRequestsPerDraft: 20,
  /** CloudTrail data events on the vault and audit tables: roughly their reads and writes. */
  trailDataEventsPerEncounter: 100,
  trailDataEventsPerDraft: 30,
  /** JSON log lines (no content, ids and codes only). */
  logsGbPerEncounter: 0.0005,
  logsGbPerDraft: 0.0002,
} as const;

export type WorkloadAssumptions = { readonly [K in keyof typeof WORKLOAD_ASSUMPTIONS]: number };

export interface CostLine {
  readonly service: string;
  readonly monthlyUsd: number;
  /** The arithmetic, for the reader who wants to check it. */
  readonly basis: string;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly monthlyUsd: number;
  readonly encountersPerMonth: number;
  /** Everything, fixed floor included, divided by the month's encounters. */
  readonly perEncounterUsd: number;
  /** Only what grows with each encounter (its transcription, its SOAP draft, its requests). */
  readonly variablePerEncounterUsd: number;
  readonly fixedMonthlyUsd: number;
}

export class UnknownModelPrice extends Error {
  constructor(modelId: string) {
    super(`No price for model ${modelId} in shared/ai/model-pricing.ts`);
    this.name = 'UnknownModelPrice';
  }
}

/** One model-bound draft: what it sends through de-identification and the model. */
interface DraftProfile {
  readonly sourceChars: number;
  readonly outputTokens: number;
}

const units = (chars: number) => Math.ceil(chars / 100);
const round = (usd: number) => Math.round(usd * 100) / 100;

function modelCostUsd(modelId: string, profile: DraftProfile, assume: WorkloadAssumptions): number {
  const inputTokens = Math.ceil(profile.sourceChars / assume.charsPerToken) + assume.promptOverheadTokens;
  const cost = estimateCostUsd(modelId, 'bedrock', { inputTokens, outputTokens: profile.outputTokens });
  if (cost === undefined) throw new UnknownModelPrice(modelId);
  return cost;
}

export function estimateMonthlyCost(
  scenario: CostScenario,
  shape: DeploymentShape,
  assume: WorkloadAssumptions = WORKLOAD_ASSUMPTIONS,
): CostEstimate {
  const encounters = scenario.encountersPerDay * scenario.workingDays;
  const minutes = encounters * scenario.minutesPerEncounter;
  const streamsPerEncounter = Math.ceil((scenario.minutesPerEncounter * 60) / assume.audioSecondsPerSegment);
  const streams = encounters * streamsPerEncounter;
  const billedMinutes = (streams * billedStreamSeconds(assume.audioSecondsPerSegment)) / 60;
  const soap: DraftProfile = {
    sourceChars: scenario.minutesPerEncounter * assume.transcriptCharsPerMinute,
    outputTokens: assume.soapOutputTokens,
  };
  const summary: DraftProfile = { sourceChars: assume.summarySourceChars, outputTokens: assume.summaryOutputTokens };
  const coding: DraftProfile = { sourceChars: assume.codingSourceChars, outputTokens: assume.codingOutputTokens };
  const summaries = scenario.summariesPerDay * scenario.workingDays;
  const codingReviews = scenario.codingReviewsPerDay * scenario.workingDays;
  const drafts = encounters + summaries + codingReviews;

  const phiUnits =
    encounters * (units(soap.sourceChars) + units(soap.outputTokens * assume.charsPerToken)) +
    summaries * (units(summary.sourceChars) + units(summary.outputTokens * assume.charsPerToken)) +
    codingReviews * (units(coding.sourceChars) + units(coding.outputTokens * assume.charsPerToken));
  const icdUnits = codingReviews * units(coding.sourceChars);
  const bedrock =
    encounters * modelCostUsd(scenario.modelId, soap, assume) +
    summaries * modelCostUsd(scenario.modelId, summary, assume) +
    codingReviews * modelCostUsd(scenario.modelId, coding, assume);

  const invocations =
    encounters * (assume.restRequestsPerEncounter + assume.auditEventsPerEncounter) +
    drafts * (assume.restRequestsPerDraft + assume.auditEventsPerDraft + 1);
  const gbSeconds = invocations * assume.invocationGbSeconds + drafts * assume.modelCallGbSeconds;
  const restRequests = encounters * assume.restRequestsPerEncounter + drafts * assume.restRequestsPerDraft;
  const websocketMessages = minutes * assume.websocketMessagesPerMinute;
  const events = encounters * assume.auditEventsPerEncounter + drafts * (assume.auditEventsPerDraft + 2);
  const writes = encounters * assume.dynamoWritesPerEncounter + drafts * assume.dynamoWritesPerDraft;
  const reads = encounters * assume.dynamoReadsPerEncounter + drafts * assume.dynamoReadsPerDraft;
  const kmsRequests = encounters * assume.kmsRequestsPerEncounter + drafts * assume.kmsRequestsPerDraft;
  const trailEvents = encounters * assume.trailDataEventsPerEncounter + drafts * assume.trailDataEventsPerDraft;
  const logsGb = encounters * assume.logsGbPerEncounter + drafts * assume.logsGbPerDraft;
  const endpointGb = minutes * assume.endpointGbPerAudioMinute;
  const endpointHours = shape.interfaceEndpoints * scenario.azs * HOURS_PER_MONTH;

  const p = PRICES;
  const lines: CostLine[] = [
    {
      service: 'Transcribe Medical',
      monthlyUsd: billedMinutes * p.transcribeMedicalPerMinute.usd,
      basis:
        `${streams} streams (${minutes} min in ${assume.audioSecondsPerSegment} s segments), each billed ` +
        `${billedStreamSeconds(assume.audioSecondsPerSegment)} s: ${billedMinutes} min x $${p.transcribeMedicalPerMinute.usd}`,
    },
    {
      service: 'Comprehend Medical',
      monthlyUsd: phiUnits * p.comprehendMedicalPhiPerUnit.usd + icdUnits * p.comprehendMedicalIcd10PerUnit.usd,
      basis: `${phiUnits} DetectPHI units x $${p.comprehendMedicalPhiPerUnit.usd} + ${icdUnits} InferICD10CM units x $${p.comprehendMedicalIcd10PerUnit.usd}`,
    },
    {
      service: 'Bedrock',
      monthlyUsd: bedrock,
      basis: `${drafts} drafts on ${scenario.modelId} (shared/ai/model-pricing.ts)`,
    },
    {
      service: 'Lambda',
      monthlyUsd: (invocations / 1e6) * p.lambdaPerMillionRequests.usd + gbSeconds * p.lambdaArmPerGbSecond.usd,
      basis: `${invocations} invocations, ${round(gbSeconds)} GB-s arm64`,
    },
    {
      service: 'API Gateway',
      monthlyUsd:
        (restRequests / 1e6) * p.apiGatewayRestPerMillion.usd +
        (websocketMessages / 1e6) * p.apiGatewayWebSocketPerMillionMessages.usd,
      basis: `${restRequests} REST requests, ${websocketMessages} WebSocket messages`,
    },
    {
      service: 'WAF',
      monthlyUsd:
        shape.wafRules > 0
          ? p.wafPerWebAclMonth.usd +
            shape.wafRules * p.wafPerRuleMonth.usd +
            (restRequests / 1e6) * p.wafPerMillionRequests.usd
          : 0,
      basis: shape.wafRules > 0 ? `1 web ACL, ${shape.wafRules} rules` : 'PRIVATE API: no WAF',
    },
    {
      service: 'DynamoDB',
      monthlyUsd:
        (writes / 1e6) * p.dynamoDbPerMillionWrites.usd +
        (reads / 1e6) * p.dynamoDbPerMillionReads.usd +
        shape.dynamoDbStoredGb * (p.dynamoDbStoragePerGbMonth.usd + p.dynamoDbBackupPerGbMonth.usd),
      basis: `${writes} writes, ${reads} reads, ${shape.dynamoDbStoredGb} GB stored with PITR`,
    },
    {
      service: 'KMS',
      monthlyUsd: shape.kmsKeys * p.kmsPerKeyMonth.usd + (kmsRequests / 10_000) * p.kmsPer10kRequests.usd,
      basis: `${shape.kmsKeys} keys, ${kmsRequests} requests`,
    },
    {
      service: 'CloudWatch',
      monthlyUsd:
        logsGb * p.cloudWatchLogsIngestPerGb.usd +
        shape.customMetricSeries * p.cloudWatchMetricPerMonth.usd +
        shape.dashboards * p.cloudWatchDashboardPerMonth.usd +
        shape.alarms * p.cloudWatchAlarmMetricPerMonth.usd,
      basis: `${round(logsGb * 1000) / 1000} GB logs, ${shape.customMetricSeries} metric series, ${shape.dashboards} dashboard, ${shape.alarms} alarms`,
    },
    {
      service: 'VPC endpoints',
      monthlyUsd: endpointHours * p.vpcInterfaceEndpointPerAzHour.usd + endpointGb * p.vpcInterfaceEndpointPerGb.usd,
      basis: `${shape.interfaceEndpoints} endpoints x ${scenario.azs} AZs x ${HOURS_PER_MONTH} h, ${round(endpointGb)} GB`,
    },
    {
      service: 'EventBridge',
      monthlyUsd: (events / 1e6) * p.eventBridgePerMillionEvents.usd,
      basis: `${events} events`,
    },
    {
      service: 'CloudTrail',
      monthlyUsd: (trailEvents / 100_000) * p.cloudTrailDataEventsPer100k.usd,
      basis: `${trailEvents} data events`,
    },
    {
      service: 'S3',
      monthlyUsd: shape.s3StoredGb * p.s3StandardPerGbMonth.usd,
      basis: `${shape.s3StoredGb} GB stored`,
    },
  ];
  const rounded = lines.map((line) => ({ ...line, monthlyUsd: round(line.monthlyUsd) }));
  const monthlyUsd = round(rounded.reduce((sum, line) => sum + line.monthlyUsd, 0));
  const fixedMonthlyUsd = round(fixedMonthlyCost(shape, scenario.azs));
  const variable = round(monthlyUsd - fixedMonthlyUsd);
  return {
    lines: rounded,
    monthlyUsd,
    encountersPerMonth: encounters,
    perEncounterUsd: encounters > 0 ? round(monthlyUsd / encounters) : 0,
    variablePerEncounterUsd: encounters > 0 ? round(variable / encounters) : 0,
    fixedMonthlyUsd,
  };
}

/** The part of the bill that does not depend on traffic: endpoints, keys, dashboards, alarms, metrics, WAF, storage. */
export function fixedMonthlyCost(shape: DeploymentShape, azs: number): number {
  const p = PRICES;
  return (
    shape.interfaceEndpoints * azs * HOURS_PER_MONTH * p.vpcInterfaceEndpointPerAzHour.usd +
    shape.kmsKeys * p.kmsPerKeyMonth.usd +
    shape.customMetricSeries * p.cloudWatchMetricPerMonth.usd +
    shape.dashboards * p.cloudWatchDashboardPerMonth.usd +
    shape.alarms * p.cloudWatchAlarmMetricPerMonth.usd +
    (shape.wafRules > 0 ? p.wafPerWebAclMonth.usd + shape.wafRules * p.wafPerRuleMonth.usd : 0) +
    shape.dynamoDbStoredGb * (p.dynamoDbStoragePerGbMonth.usd + p.dynamoDbBackupPerGbMonth.usd) +
    shape.s3StoredGb * p.s3StandardPerGbMonth.usd
  );
}

/**
 * Dollars per unit of the metrics the gateway publishes, for a live estimate as CloudWatch metric math:
 * `fixedPerDay + TranscriptionBilledSeconds * perBilledSecond + DetectorCharacters * perDetectorCharacter +
 * ModelCostUsd + Requests * perRequest`. An approximation (no per-request minimums, average invocation size).
 */
export function liveEstimateCoefficients(shape: DeploymentShape, azs: number, assume = WORKLOAD_ASSUMPTIONS) {
  const p = PRICES;
  return {
    fixedPerDay: fixedMonthlyCost(shape, azs) / 30,
    perBilledSecond: p.transcribeMedicalPerMinute.usd / 60,
    perDetectorCharacter: p.comprehendMedicalPhiPerUnit.usd / 100,
    perRequest:
      p.lambdaPerMillionRequests.usd / 1e6 +
      assume.invocationGbSeconds * p.lambdaArmPerGbSecond.usd +
      p.apiGatewayRestPerMillion.usd / 1e6,
  } as const;
}
