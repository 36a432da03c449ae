/**
 * What a deployment of a topology consists of, for the fixed part of the bill: interface endpoints, keys, metric
 * series, alarms, the dashboard. Counted from the topology so a new route or function changes the estimate.
 */
import { METRIC_NAMES } from '../observability/metric-catalog.ts';
import type { DeploymentShape } from './cost-model.ts';
import { DEPLOYMENT_ALARMS } from './runbooks.ts';

/** The parts of the topology the count needs (structural, so this module does not depend on infra/). */
export interface TopologyOutline {
  readonly functions: Readonly<
    Record<
      string,
      {
        readonly routes?: readonly unknown[];
        readonly rules?: readonly unknown[];
        readonly schedules?: readonly unknown[];
      }
    >
  >;
}

export interface ShapeOptions {
  /** Interface endpoints in the network stack (FUNCTION_API_ENDPOINTS), plus execute-api for a PRIVATE API. */
  readonly interfaceEndpoints: number;
  readonly privateApi: boolean;
}

/** The customer-managed keys of infra/constructs/encryption-keys.ts: app, vault, audit, logs, messaging, token MAC. */
export const KMS_KEYS = 6;
/** AWS managed common rules, known bad inputs, and the per-IP rate rule. */
export const WAF_RULES = 3;
/**
 * Series with dimensions of their own: PHI entity types and detectors, refusal codes and reasons, use case x model
 * for the five model metrics, draft and transcription reasons. An estimate: the real number depends on traffic.
 */
export const DIMENSIONED_SERIES_ESTIMATE = 100;
/** Audit archive, CloudTrail and access logs at rest after the first months; grows about linearly with use. */
const S3_STORED_GB = 5;
/** Audit trail, vault and knowledge base at rest. */
const DYNAMODB_STORED_GB = 2;

export function deploymentShapeOf(topology: TopologyOutline, options: ShapeOptions): DeploymentShape {
  const functions = Object.values(topology.functions);
  const routes = functions.reduce((sum, spec) => sum + (spec.routes?.length ?? 0), 0);
  const rules = functions.reduce((sum, spec) => sum + (spec.rules?.length ?? 0), 0);
  const schedules = functions.reduce((sum, spec) => sum + (spec.schedules?.length ?? 0), 0);
  const withoutRoutes = functions.filter((spec) => (spec.routes?.length ?? 0) === 0).length;
  const withRules = functions.filter((spec) => (spec.rules?.length ?? 0) > 0).length;
  // Per route: Requests, Latency, ServerErrors, ClientErrors; per other function the first three, EventAge too
  // for event consumers; then one total per catalog metric.
  const customMetricSeries =
    routes * 4 + withoutRoutes * 3 + withRules + METRIC_NAMES.length + DIMENSIONED_SERIES_ESTIMATE;
  // A latency alarm per route, the deployment's own alarms, a depth alarm per dead-letter queue (one per function,
  // rule and schedule) and the audit-control alarm.
  const alarms = routes + DEPLOYMENT_ALARMS.length + functions.length + rules + schedules + 1;
  return {
    interfaceEndpoints: options.interfaceEndpoints + (options.privateApi ? 1 : 0),
    kmsKeys: KMS_KEYS,
    customMetricSeries,
    alarms,
    dashboards: 1,
    wafRules: options.privateApi ? 0 : WAF_RULES,
    s3StoredGb: S3_STORED_GB,
    dynamoDbStoredGb: DYNAMODB_STORED_GB,
  };
}
