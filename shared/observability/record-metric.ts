/**
 * Records a catalog metric with its declared unit and dimension sets: the typed way to emit a metric that has
 * dimensions of its own (entity type, reason, model). Values that could be prose never become dimensions.
 */
import { METRIC_CATALOG, type MetricDimensions, type MetricName } from './metric-catalog.ts';
import { metricsScope } from './telemetry.ts';

const PER_INVOCATION = new Set(['route', 'function']);

/**
 * Adds `value` to metric `name` in the current invocation. Published under every declared dimension set whose
 * dimensions are all given, and in total (the bare `service` set). A metric declared per route/function and given
 * no dimensions of its own takes the invocation's route or function.
 */
export function recordMetric(name: MetricName, value: number, dimensions: MetricDimensions = {}): void {
  if (!Number.isFinite(value)) return;
  const declaration = METRIC_CATALOG[name];
  const invocation = metricsScope.current();
  const own = declaration.dimensions.filter(
    (set) => set.length > 0 && set.every((dimension) => !PER_INVOCATION.has(dimension) && dimensions[dimension]),
  );
  const perInvocation = declaration.dimensions.some((set) => set.some((dimension) => PER_INVOCATION.has(dimension)));
  if (own.length === 0 && perInvocation) {
    invocation.main.addMetric(name, declaration.unit, value);
    return;
  }
  const sets = own.map((set) => Object.fromEntries(set.map((dimension) => [dimension, dimensions[dimension] ?? ''])));
  invocation.withDimensionSets(sets).addMetric(name, declaration.unit, value);
}

/** Adds one count per key, e.g. PHI entities per type: one value per dimension value, not one per entity. */
export function recordCounts(
  name: MetricName,
  dimension: keyof MetricDimensions,
  counts: Readonly<Record<string, number | undefined>>,
  extra: MetricDimensions = {},
): void {
  for (const [key, count] of Object.entries(counts)) {
    if (count) recordMetric(name, count, { ...extra, [dimension]: key });
  }
}
