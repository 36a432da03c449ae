/**
 * The deployment's operational alarms, each to the encrypted alarm topic and each naming its runbook: server-error
 * rate, p95 latency per route (one per topology route), audit lag, fail-closed spike, quarantined output, Bedrock
 * throttling, estimated spend against the budget, and CloudTrail delivery. Dead-letter queues already alarm on their
 * own depth (dead-letter-queue.ts), so they are not repeated here.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RUNBOOKS, type RunbookName, runbookReference } from '../../shared/operations/runbooks.ts';
import type { DeploymentConfig } from '../config.ts';
import type { RouteSpec, Topology } from '../topology/types.ts';
import { catalogMetric, estimatedSpend, type SpendCoefficients } from './catalog-metrics.ts';
import { pascalCase } from './pascal-case.ts';

export interface OperationalAlarmsProps {
  readonly config: DeploymentConfig;
  readonly topology: Topology;
  readonly alarmTopic: sns.ITopic;
  /** CloudTrail's log group: its incoming events stop when the trail stops delivering. */
  readonly trailLogGroup: logs.ILogGroup;
  readonly spendCoefficients: SpendCoefficients;
}

/** Functions with a longer timeout are model-bound; their routes are measured against 80% of it instead. */
const DEFAULT_TIMEOUT_SECONDS = 10;

export function routeKey(route: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

export class OperationalAlarms extends Construct {
  /** By runbook name; `route-latency` holds one alarm per route. */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const { config } = props;
    const thresholds = config.operations;
    const action = new actions.SnsAction(props.alarmTopic);
    const add = (
      alarmId: string,
      runbook: RunbookName,
      detail: string,
      options: Omit<cloudwatch.CreateAlarmOptions, 'alarmDescription'> & {
        metric: cloudwatch.Metric | cloudwatch.MathExpression;
      },
    ) => {
      const { metric, ...rest } = options;
      const alarm = metric.createAlarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...rest,
        alarmDescription: `${RUNBOOKS[runbook]}: ${detail}. ${runbookReference(runbook)}`,
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    const five = Duration.minutes(5);
    add('ServerErrorRate', 'server-error-rate', `above ${thresholds.serverErrorPercent}% over 5 minutes`, {
      // Below ten invocations a single failure is not a rate; quiet hours would page on one retry.
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests >= 10, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: catalogMetric('ServerErrors', {}, { statistic: cloudwatch.Stats.SUM, period: five }),
          requests: catalogMetric('Requests', {}, { statistic: cloudwatch.Stats.SUM, period: five }),
        },
        label: 'Server errors (%)',
        period: five,
      }),
      threshold: thresholds.serverErrorPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    for (const spec of Object.values(props.topology.functions)) {
      const timeoutMs = (spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
      const threshold = Math.max(thresholds.latencyP95Ms, Math.round(timeoutMs * 0.8));
      for (const route of spec.routes ?? []) {
        const key = routeKey(route);
        add(`Latency${pascalCase(key)}`, 'route-latency', `${key} p95 above ${threshold} ms for 15 minutes`, {
          metric: catalogMetric('Latency', { route: key }, { period: five }),
          threshold,
          evaluationPeriods: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        });
      }
    }

    add('AuditLag', 'audit-lag', `a record written more than ${thresholds.auditLagSeconds} s after its act`, {
      metric: catalogMetric('AuditWriteLag', {}, { statistic: cloudwatch.Stats.MAXIMUM, period: five }),
      threshold: thresholds.auditLagSeconds * 1000,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    add('FailClosedSpike', 'fail-closed-spike', `${thresholds.failClosedPerFiveMinutes} or more in 5 minutes`, {
      metric: catalogMetric('FailClosedRefusals', {}, { period: five }),
      threshold: thresholds.failClosedPerFiveMinutes,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // One quarantined reply means a model produced an identifier that was not a token: always worth a look.
    add('QuarantinedOutput', 'quarantined-output', 'any in 5 minutes', {
      metric: catalogMetric('QuarantinedOutputs', {}, { period: five }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    add('BedrockThrottling', 'bedrock-throttling', '5 or more throttled calls in each of two 5-minute periods', {
      metric: bedrockThrottles(config, five),
      threshold: 5,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    // A retried segment may fail once; five in each of two periods is a clinic losing its transcript, not a blip.
    add('TranscriptionFailures', 'transcription-failures', '5 or more in each of two 5-minute periods', {
      metric: catalogMetric('TranscriptionFailures', {}, { period: five }),
      threshold: 5,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    const day = Duration.days(1);
    const dailyBudget = Math.round((thresholds.monthlyBudgetUsd / 30) * 100) / 100;
    add('EstimatedSpend', 'estimated-spend', `estimate above $${dailyBudget} in a day`, {
      metric: estimatedSpend(props.spendCoefficients, day),
      threshold: dailyBudget,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });

    // The account's own API calls (the functions' KMS and DynamoDB calls, scheduled jobs) reach the trail every
    // hour; two silent hours mean delivery stopped. Missing data is the symptom here, so it breaches.
    add('CloudTrailDelivery', 'cloudtrail-delivery', 'no event delivered to the trail log group for 2 hours', {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Logs',
        metricName: 'IncomingLogEvents',
        dimensionsMap: { LogGroupName: props.trailLogGroup.logGroupName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.hours(1),
      }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}

/**
 * Bedrock's throttles: the account-wide series, or the sum over the approved models when it is larger (Bedrock
 * publishes per ModelId; the dimensionless series is what the console shows across all models).
 */
export function bedrockThrottles(config: DeploymentConfig, period: Duration): cloudwatch.MathExpression {
  const metric = (dimensionsMap: Record<string, string>) =>
    new cloudwatch.Metric({
      namespace: 'AWS/Bedrock',
      metricName: 'InvocationThrottles',
      dimensionsMap,
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  const models = [...new Set(Object.values(config.approvedModels))].sort();
  const usingMetrics: Record<string, cloudwatch.IMetric> = { all: metric({}) };
  models.forEach((modelId, index) => {
    usingMetrics[`m${index}`] = metric({ ModelId: modelId });
  });
  const perModel = models.map((_, index) => `FILL(m${index}, 0)`).join(' + ');
  return new cloudwatch.MathExpression({
    expression: perModel ? `MAX([FILL(all, 0), ${perModel}])` : 'FILL(all, 0)',
    usingMetrics,
    label: 'Bedrock throttled calls',
    period,
  });
}
