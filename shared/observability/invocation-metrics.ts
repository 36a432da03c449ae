/**
 * Metric buffers scoped to one invocation, and the one place EMF lines are written. Lambda runs one invocation
 * per process at a time, but the local runtime runs every function concurrently in one process: a shared Powertools
 * buffer would let one request's `route` dimension label another's metrics, and one handler's flush publish (or
 * drop) another's. Each invocation therefore gets its own buffers (found through AsyncLocalStorage) and writes them
 * when it ends, exactly once, to standard output (what CloudWatch reads in Lambda) and any extra sink.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { type DimensionName, type MetricDimensions, safeDimensionValue } from './metric-catalog.ts';

/** Receives every EMF document written, as the JSON line Lambda would print and as the object. */
export type EmfSink = (line: string, emf: EmfOutput) => void;

export interface MetricsScopeOptions {
  readonly namespace: string;
  readonly serviceName: string;
}

type DimensionSet = Readonly<Record<string, string>>;

function sanitizeSet(dimensions: MetricDimensions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(dimensions)) {
    if (typeof value === 'string') out[name] = safeDimensionValue(name as DimensionName, value);
  }
  return out;
}

/** The metrics of one invocation: the buffer `metrics.addMetric` writes to, and one per extra dimension set. */
export class InvocationMetrics {
  private buffer: Metrics;
  private readonly extra = new Map<string, Metrics>();
  private readonly detached: Metrics[] = [];

  constructor(
    private readonly options: MetricsScopeOptions,
    /** `route` or `function`: every metric added without dimensions of its own is published per this and in total. */
    readonly base: MetricDimensions = {},
  ) {
    this.buffer = this.baseBuffer();
  }

  /** Where `metrics.addMetric(...)` lands during this invocation. */
  get main(): Metrics {
    return this.buffer;
  }

  /** A buffer published under each of `sets` and under the bare `service` set (so totals always exist). */
  withDimensionSets(sets: readonly MetricDimensions[]): Metrics {
    const clean = sets.map(sanitizeSet).filter((set) => Object.keys(set).length > 0);
    const key = JSON.stringify(clean);
    let buffer = this.extra.get(key);
    if (!buffer) {
      buffer = this.create([...clean, {}]);
      this.extra.set(key, buffer);
    }
    return buffer;
  }

  /**
   * A private buffer for code that asks for `singleMetric()`: written with the rest when the invocation ends, under
   * the dimensions its caller adds and in total.
   */
  detachedBuffer(): Metrics {
    const buffer = this.create([{}]);
    this.detached.push(buffer);
    return buffer;
  }

  /** Serializes and empties every buffer; the invocation's base dimensions stay for later metrics. */
  drain(): EmfOutput[] {
    const out: EmfOutput[] = [];
    for (const buffer of [this.buffer, ...this.extra.values(), ...this.detached]) {
      if (buffer.hasStoredMetrics()) out.push(buffer.serializeMetrics());
    }
    this.buffer = this.baseBuffer();
    this.extra.clear();
    this.detached.length = 0;
    return out;
  }

  private baseBuffer(): Metrics {
    const base = sanitizeSet(this.base);
    return this.create(Object.keys(base).length > 0 ? [base, {}] : [{}]);
  }

  private create(sets: readonly DimensionSet[]): Metrics {
    const buffer = new Metrics({ namespace: this.options.namespace, serviceName: this.options.serviceName });
    // An empty set publishes under `service` alone; `addDimensions` adds a set rather than merging keys.
    for (const set of sets) buffer.addDimensions({ ...set });
    return buffer;
  }
}

/** Powertools' own switch: `POWERTOOLS_METRICS_DISABLED`, or `POWERTOOLS_DEV` when that one is unset. */
function stdoutDisabled(): boolean {
  const truthy = (value: string | undefined) => ['1', 'true', 'yes', 'on'].includes((value ?? '').toLowerCase());
  const explicit = process.env.POWERTOOLS_METRICS_DISABLED;
  return explicit !== undefined && explicit !== '' ? truthy(explicit) : truthy(process.env.POWERTOOLS_DEV);
}

export class MetricsScope {
  private readonly storage = new AsyncLocalStorage<InvocationMetrics>();
  /** Metrics added outside any invocation (module initialization, CLI use cases): written with the next flush. */
  private readonly outside: InvocationMetrics;
  private readonly sinks = new Set<EmfSink>();

  constructor(private readonly options: MetricsScopeOptions) {
    this.outside = new InvocationMetrics(options);
  }

  /** The current invocation's metrics, or the process-level ones outside any invocation. */
  current(): InvocationMetrics {
    return this.storage.getStore() ?? this.outside;
  }

  /** Runs one invocation with its own buffers and writes them when it settles, whether it succeeded or threw. */
  async run<T>(base: MetricDimensions, work: () => Promise<T>): Promise<T> {
    const invocation = new InvocationMetrics(this.options, base);
    try {
      return await this.storage.run(invocation, work);
    } finally {
      this.write([...invocation.drain(), ...this.outside.drain()]);
    }
  }

  /** Writes whatever the current scope holds now (what `publishStoredMetrics()` means here). */
  flush(): void {
    this.write(this.current().drain());
  }

  /** Adds a sink (the local runtime's metrics file, a test's capture); returns the function that removes it. */
  addSink(sink: EmfSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
    };
  }

  private write(documents: readonly EmfOutput[]): void {
    for (const emf of documents) {
      const line = JSON.stringify(emf);
      // In Lambda, CloudWatch Logs turns this stdout line into metrics: this is the publication.
      if (!stdoutDisabled()) process.stdout.write(`${line}\n`);
      for (const sink of this.sinks) sink(line, emf);
    }
  }
}

/**
 * A `Metrics` whose every method acts on the current invocation's buffer, so existing `metrics.addMetric(...)`
 * calls keep working unchanged; `singleMetric()` and `publishStoredMetrics()` are routed through the scope so
 * nothing is printed around it.
 */
export function invocationAwareMetrics(scope: MetricsScope): Metrics {
  const placeholder = new Metrics({ namespace: 'unused' });
  return new Proxy(placeholder, {
    get(_target, property) {
      const invocation = scope.current();
      if (property === 'singleMetric') return () => invocation.detachedBuffer();
      if (property === 'publishStoredMetrics') {
        return () => {
          scope.flush();
          return invocation.main;
        };
      }
      const target = invocation.main;
      const value: unknown = Reflect.get(target, property, target);
      // Bound to the real instance: Powertools keeps its stores in private fields a proxy receiver cannot reach.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
