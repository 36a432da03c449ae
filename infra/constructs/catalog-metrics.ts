/** CloudWatch metric objects for the metric catalog, so the dashboard and the alarms read the names emitters write. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  type DimensionName,
  METRIC_CATALOG,
  type MetricName,
  type MetricReading,
} from '../../shared/observability/metric-catalog.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/observability/telemetry.ts';

export const DEFAULT_PERIOD = Duration.minutes(5);

const STATISTIC: Readonly<Record<MetricReading, string>> = {
  sum: cloudwatch.Stats.SUM,
  p95: cloudwatch.Stats.p(95),
  average: cloudwatch.Stats.AVERAGE,
};

export interface CatalogMetricOptions {
  readonly statistic?: string;
  readonly period?: Duration;
  readonly label?: string;
}

/** A catalog metric, in total (the bare `service` set) or under one of its declared dimension sets. */
export function catalogMetric(
  name: MetricName,
  dimensions: Readonly<Partial<Record<DimensionName, string>>> = {},
  options: CatalogMetricOptions = {},
): cloudwatch.Metric {
  const declaration = METRIC_CATALOG[name];
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME, ...dimensions },
    statistic: options.statistic ?? STATISTIC[declaration.reading],
    period: options.period ?? DEFAULT_PERIOD,
    ...(options.label ? { label: options.label } : {}),
  });
}

/**
 * Every series of a metric under one dimension set (e.g. PHI entities by entity type): a SEARCH expression, so a
 * new reason code or model appears on the dashboard without a deployment.
 */
export function catalogBreakdown(
  name: MetricName,
  dimensionSet: readonly DimensionName[],
  period: Duration = DEFAULT_PERIOD,
): cloudwatch.MathExpression {
  const statistic = METRIC_CATALOG[name].reading === 'p95' ? 'p95' : 'Sum';
  const schema = [METRICS_NAMESPACE, 'service', ...dimensionSet].join(',');
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${name}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    label: '',
    period,
  });
}

export function statisticOf(name: MetricName): string {
  return STATISTIC[METRIC_CATALOG[name].reading];
}

/** The coefficients of `liveEstimateCoefficients` (shared/operations/cost-model.ts). */
export interface SpendCoefficients {
  readonly fixedPerDay: number;
  readonly perBilledSecond: number;
  readonly perDetectorCharacter: number;
  readonly perRequest: number;
}

// Metric math takes plain decimals; scientific notation is not documented as accepted.
const decimal = (value: number) => value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');

/**
 * Estimated spend in USD over `period` from usage metrics: the fixed floor's share, billed transcription seconds,
 * characters sent to the PHI detector, the model cost the AI gateway computed, and per-request compute.
 */
export function estimatedSpend(coefficients: SpendCoefficients, period: Duration): cloudwatch.MathExpression {
  const sum = (name: MetricName) => catalogMetric(name, {}, { statistic: cloudwatch.Stats.SUM, period });
  const fixed = coefficients.fixedPerDay * (period.toSeconds() / 86_400);
  return new cloudwatch.MathExpression({
    expression:
      `${decimal(fixed)} + FILL(audio, 0) * ${decimal(coefficients.perBilledSecond)}` +
      ` + FILL(characters, 0) * ${decimal(coefficients.perDetectorCharacter)}` +
      ` + FILL(models, 0) + FILL(requests, 0) * ${decimal(coefficients.perRequest)}`,
    usingMetrics: {
      audio: sum('TranscriptionBilledSeconds'),
      characters: sum('DetectorCharacters'),
      models: sum('ModelCostUsd'),
      requests: sum('Requests'),
    },
    label: 'Estimated spend (USD)',
    period,
  });
}
