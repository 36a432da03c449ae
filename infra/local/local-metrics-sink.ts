/**
 * Appends every EMF document the local runtime writes to `<data dir>/metrics.jsonl`, the file `cag ops summary`
 * reads: the same lines Lambda prints and CloudWatch turns into metrics, kept where an operator can count them.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { metricsScope } from '../../shared/observability/telemetry.ts';

export const METRICS_FILE_NAME = 'metrics.jsonl';

export interface LocalMetricsSink {
  readonly path: string;
  close(): Promise<void>;
}

/** Starts appending; `close()` stops and flushes the file. Lines hold names, route keys, codes and numbers only. */
export function startLocalMetricsSink(dataDir: string): LocalMetricsSink {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, METRICS_FILE_NAME);
  const file = createWriteStream(path, { flags: 'a', mode: 0o600 });
  const remove = metricsScope.addSink((line) => {
    file.write(`${line}\n`);
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve, reject) => {
        remove();
        file.end((error?: Error | null) => (error ? reject(error) : resolve()));
      }),
  };
}
