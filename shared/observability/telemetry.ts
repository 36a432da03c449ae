/** The process-wide Powertools logger, metrics and tracer, and the one logging helper allowed to write. */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { invocationAwareMetrics, MetricsScope } from './invocation-metrics.ts';
import { describeError, type SafeFields, sanitizeFields } from './safe-fields.ts';

export const SERVICE_NAME = 'clinical-ai-gateway';
export const METRICS_NAMESPACE = 'ClinicalAiGateway';

export const logger = new Logger({ serviceName: SERVICE_NAME });
/** Per-invocation metric buffers and the EMF writer (see invocation-metrics.ts for why not one shared buffer). */
export const metricsScope = new MetricsScope({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
/** Powertools Metrics, acting on the current invocation's buffer; flushed by `metricsScope.run` in the wrappers. */
export const metrics: Metrics = invocationAwareMetrics(metricsScope);
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/**
 * Logging for the whole code base. Messages are fixed strings written by developers; fields are sanitised so
 * request bodies and free text cannot be logged even by mistake.
 */
export const log = {
  debug: (message: string, fields: SafeFields = {}) => logger.debug(message, sanitizeFields(fields)),
  info: (message: string, fields: SafeFields = {}) => logger.info(message, sanitizeFields(fields)),
  warn: (message: string, fields: SafeFields = {}) => logger.warn(message, sanitizeFields(fields)),
  error: (message: string, error: unknown, fields: SafeFields = {}) =>
    logger.error(message, { ...sanitizeFields(fields), ...describeError(error) }),
};
