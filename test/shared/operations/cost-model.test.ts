import { describe, expect, it } from 'vitest';
import {
  type CostScenario,
  type DeploymentShape,
  estimateMonthlyCost,
  liveEstimateCoefficients,
  UnknownModelPrice,
} from '../../../shared/operations/cost-model.ts';
import { PRICES } from '../../../shared/operations/pricing-table.ts';

const SCENARIO: CostScenario = {
  encountersPerDay: 40,
  minutesPerEncounter: 15,
  summariesPerDay: 10,
  codingReviewsPerDay: 0,
  workingDays: 20,
  azs: 2,
  modelId: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
};

const SHAPE: DeploymentShape = {
  interfaceEndpoints: 11,
  kmsKeys: 6,
  customMetricSeries: 180,
  alarms: 100,
  dashboards: 1,
  wafRules: 3,
  s3StoredGb: 10,
  dynamoDbStoredGb: 2,
};

describe('estimateMonthlyCost', () => {
  it('reproduces the hand-computed month of a 40-encounter-a-day practice', () => {
    /*
     * 40 encounters x 20 days = 800 encounters, x 15 min = 12,000 audio minutes; 10 summaries x 20 = 200.
     * Transcribe Medical: each segment (at most 2.88 s of PCM) is one stream billed at least 15 s: 15 min = 900 s /
     *   2.88 = 312.5 -> 313 streams an encounter, 800 x 313 = 250,400 streams x 15 s = 3,756,000 s = 62,600 billed
     *   min x $0.075 = $4,695.00 (the 12,000 audio minutes alone would be $900)
     * Comprehend Medical DetectPHI: a SOAP draft sends 15 x 900 = 13,500 transcript chars (135 units) and checks a
     *   900-token reply = 3,600 chars (36 units): 171 units; a summary 12,000 chars (120) + 2,800 chars (28) = 148.
     *   800 x 171 + 200 x 148 = 166,400 units x $0.00014 = $23.296 -> $23.30
     * Bedrock (Claude 3.5 Sonnet, $0.003 in / $0.015 out per 1k): SOAP 13,500 / 4 + 1,200 overhead = 4,575 in, 900 out
     *   = $0.013725 + $0.0135 = $0.027225; summary 3,000 + 1,200 = 4,200 in, 700 out = $0.0126 + $0.0105 = $0.0231.
     *   800 x 0.027225 + 200 x 0.0231 = 21.78 + 4.62 = $26.40
     * Lambda: 800 x (12 + 20) + 1,000 drafts x (4 + 6 + 1) = 36,600 invocations = $0.00732;
     *   36,600 x 0.15 + 1,000 x 7.5 = 12,990 GB-s x $0.0000133334 = $0.1732 -> $0.18
     * API Gateway: 800 x 12 + 1,000 x 4 = 13,600 REST = $0.0476; 12,000 min x 90 = 1,080,000 WebSocket = $1.08 -> $1.13
     * WAF: $5 + 3 x $1 + 13,600 x $0.6 / 1M = $8.00816 -> $8.01
     * DynamoDB: 68,000 writes $0.0425 + 136,000 reads $0.017 + 2 GB x ($0.25 + $0.20) $0.90 = $0.9595 -> $0.96
     * KMS: 6 keys $6 + 52,000 requests $0.156 = $6.156 -> $6.16
     * CloudWatch: 0.6 GB logs $0.30 + 180 series $54 + 1 dashboard $3 + 100 alarms $10 = $67.30
     * VPC endpoints: 11 x 2 AZs x 730 h x $0.01 = $160.60 + 12,000 x 0.00192 GB = 23.04 GB x $0.01 = $0.2304 -> $160.83
     * EventBridge: 800 x 20 + 1,000 x 8 = 24,000 events = $0.024 -> $0.02
     * CloudTrail: 800 x 100 + 1,000 x 30 = 110,000 data events = $0.11
     * S3: 10 GB x $0.023 = $0.23
     * Total $4,989.63; per encounter 4,989.63 / 800 = $6.24.
     * Fixed floor: 160.60 + 6 + 54 + 3 + 10 + 8 + 0.90 + 0.23 = $242.73; usage per encounter (4,989.63 - 242.73) / 800 = $5.93.
     */
    const estimate = estimateMonthlyCost(SCENARIO, SHAPE);
    const byService = Object.fromEntries(estimate.lines.map((line) => [line.service, line.monthlyUsd]));

    expect(byService).toEqual({
      'Transcribe Medical': 4695,
      'Comprehend Medical': 23.3,
      Bedrock: 26.4,
      Lambda: 0.18,
      'API Gateway': 1.13,
      WAF: 8.01,
      DynamoDB: 0.96,
      KMS: 6.16,
      CloudWatch: 67.3,
      'VPC endpoints': 160.83,
      EventBridge: 0.02,
      CloudTrail: 0.11,
      S3: 0.23,
    });
    expect(estimate.monthlyUsd).toBeCloseTo(4989.63, 2);
    expect(estimate.encountersPerMonth).toBe(800);
    expect(estimate.perEncounterUsd).toBe(6.24);
    expect(estimate.fixedMonthlyUsd).toBeCloseTo(242.73, 2);
    expect(estimate.variablePerEncounterUsd).toBe(5.93);
  });

  it('charges no WAF for a PRIVATE API and grows the endpoint floor with the AZs', () => {
    const two = estimateMonthlyCost(SCENARIO, { ...SHAPE, wafRules: 0 });
    const three = estimateMonthlyCost({ ...SCENARIO, azs: 3 }, { ...SHAPE, wafRules: 0 });
    const line = (estimate: typeof two, service: string) =>
      estimate.lines.find((candidate) => candidate.service === service)?.monthlyUsd;
    expect(line(two, 'WAF')).toBe(0);
    expect((line(three, 'VPC endpoints') ?? 0) - (line(two, 'VPC endpoints') ?? 0)).toBeCloseTo(11 * 730 * 0.01, 2);
  });

  it('adds InferICD10CM units for coding reviews', () => {
    const estimate = estimateMonthlyCost(
      { ...SCENARIO, summariesPerDay: 0, encountersPerDay: 0, codingReviewsPerDay: 5 },
      SHAPE,
    );
    // 5 x 20 = 100 reviews: DetectPHI 60 + 24 units each = 8,400 x $0.00014 = $1.176; InferICD10CM 60 x 100 = 6,000 x $0.0005 = $3
    expect(estimate.lines.find((line) => line.service === 'Comprehend Medical')?.monthlyUsd).toBe(4.18);
  });

  it('refuses a model it has no price for rather than estimating it as free', () => {
    expect(() => estimateMonthlyCost({ ...SCENARIO, modelId: 'vendor.unknown-model-v1:0' }, SHAPE)).toThrow(
      UnknownModelPrice,
    );
  });

  it('gives the live estimate a fixed daily floor of a thirtieth of the monthly one and per-unit prices', () => {
    const coefficients = liveEstimateCoefficients(SHAPE, 2);
    expect(coefficients.fixedPerDay).toBeCloseTo(242.73 / 30, 4);
    expect(coefficients.perBilledSecond).toBeCloseTo(PRICES.transcribeMedicalPerMinute.usd / 60, 10);
    expect(coefficients.perDetectorCharacter).toBeCloseTo(0.00014 / 100, 12);
  });
});
