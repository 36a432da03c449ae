/**
 * AWS list prices (us-east-1, on-demand, USD) for the cost model, the dashboard's live estimate and the budget
 * alarm: every price the project uses, in one place, each with where it was read. Bedrock token prices live in
 * `shared/ai/model-pricing.ts` (the AI gateway's audit records use them) and are not repeated here.
 *
 * Prices change and free tiers are ignored (an estimate should not depend on account age). Entries marked
 * `verified: false` could not be checked against a stored copy of the AWS pricing page when this table was
 * written: they are the figures we knew, to be confirmed on the pricing page before anyone budgets with them.
 */

export const PRICING_REGION = 'us-east-1';
export const PRICING_DATE = '2026-11-26';

export interface Price {
  readonly usd: number;
  readonly per: string;
  readonly source: string;
  readonly verified: boolean;
}

const price = (usd: number, per: string, source: string, verified: boolean): Price => ({ usd, per, source, verified });

export const PRICES = {
  transcribeMedicalPerMinute: price(
    0.075,
    'minute of audio (streaming and batch; billed per second, 15 s minimum per request)',
    'aws.amazon.com/transcribe/pricing (medical); seen in a 2026-07 analysis quoting the pricing page',
    false,
  ),
  comprehendMedicalPhiPerUnit: price(
    0.00014,
    'unit of 100 characters, DetectPHI; 1 unit minimum per request',
    'aws.amazon.com/comprehend/medical/pricing (unit size and 1-unit minimum verified; unit price not)',
    false,
  ),
  comprehendMedicalIcd10PerUnit: price(
    0.0005,
    'unit of 100 characters, InferICD10CM; 1 unit minimum per request',
    'aws.amazon.com/comprehend/medical/pricing (unit size and 1-unit minimum verified; unit price not)',
    false,
  ),
  lambdaArmPerGbSecond: price(
    0.0000133334,
    'GB-second, arm64, first 7.5 billion GB-s',
    'aws.amazon.com/lambda/pricing',
    true,
  ),
  lambdaPerMillionRequests: price(0.2, 'million requests', 'aws.amazon.com/lambda/pricing', true),
  dynamoDbPerMillionWrites: price(
    0.625,
    'million write request units, on-demand',
    'aws.amazon.com/dynamodb/pricing/on-demand (after the November 2024 reduction)',
    true,
  ),
  dynamoDbPerMillionReads: price(
    0.125,
    'million read request units, on-demand',
    'aws.amazon.com/dynamodb/pricing/on-demand (after the November 2024 reduction)',
    true,
  ),
  dynamoDbStoragePerGbMonth: price(0.25, 'GB-month, standard table class', 'aws.amazon.com/dynamodb/pricing', false),
  dynamoDbBackupPerGbMonth: price(
    0.2,
    'GB-month of continuous backup (point-in-time recovery)',
    'aws.amazon.com/dynamodb/pricing',
    false,
  ),
  kmsPerKeyMonth: price(
    1,
    'customer-managed key per month (each of the first two rotations adds $1/month)',
    'aws.amazon.com/kms/pricing',
    true,
  ),
  kmsPer10kRequests: price(0.03, '10,000 symmetric or HMAC requests', 'aws.amazon.com/kms/pricing', true),
  cloudWatchLogsIngestPerGb: price(
    0.5,
    'GB of logs ingested (standard class)',
    'aws.amazon.com/cloudwatch/pricing',
    true,
  ),
  cloudWatchLogsStoragePerGbMonth: price(0.03, 'GB-month of archived logs', 'aws.amazon.com/cloudwatch/pricing', false),
  cloudWatchMetricPerMonth: price(
    0.3,
    'custom metric series per month (first 10,000): each name + dimension values combination',
    'aws.amazon.com/cloudwatch/pricing',
    true,
  ),
  cloudWatchDashboardPerMonth: price(3, 'dashboard per month', 'aws.amazon.com/cloudwatch/pricing', true),
  cloudWatchAlarmMetricPerMonth: price(
    0.1,
    'standard-resolution alarm metric per month',
    'aws.amazon.com/cloudwatch/pricing',
    false,
  ),
  vpcInterfaceEndpointPerAzHour: price(
    0.01,
    'interface endpoint per Availability Zone per hour',
    'aws.amazon.com/privatelink/pricing',
    true,
  ),
  vpcInterfaceEndpointPerGb: price(
    0.01,
    'GB processed by interface endpoints (first PB per month in the region)',
    'aws.amazon.com/privatelink/pricing',
    true,
  ),
  s3StandardPerGbMonth: price(0.023, 'GB-month, S3 Standard, first 50 TB', 'aws.amazon.com/s3/pricing', false),
  apiGatewayWebSocketPerMillionMessages: price(
    1,
    'million WebSocket messages (32 KB each)',
    'aws.amazon.com/api-gateway/pricing',
    false,
  ),
  apiGatewayRestPerMillion: price(
    3.5,
    'million REST API requests (first 333 million)',
    'aws.amazon.com/api-gateway/pricing',
    false,
  ),
  wafPerWebAclMonth: price(5, 'web ACL per month', 'aws.amazon.com/waf/pricing', false),
  wafPerRuleMonth: price(1, 'rule or managed rule group per month', 'aws.amazon.com/waf/pricing', false),
  wafPerMillionRequests: price(0.6, 'million requests inspected', 'aws.amazon.com/waf/pricing', false),
  eventBridgePerMillionEvents: price(1, 'million custom events published', 'aws.amazon.com/eventbridge/pricing', false),
  cloudTrailDataEventsPer100k: price(
    0.1,
    '100,000 data events recorded (the first copy of management events is free)',
    'aws.amazon.com/cloudtrail/pricing',
    false,
  ),
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;

/** Hours in the average month AWS bills by (8,760 / 12). */
export const HOURS_PER_MONTH = 730;

/** Transcribe bills each request (for streaming, each stream) for at least this long. */
export const TRANSCRIBE_MINIMUM_BILLED_SECONDS = 15;

/** The seconds one Transcribe Medical stream of `audioSeconds` is billed for. */
export function billedStreamSeconds(audioSeconds: number): number {
  return Math.max(TRANSCRIBE_MINIMUM_BILLED_SECONDS, audioSeconds);
}
