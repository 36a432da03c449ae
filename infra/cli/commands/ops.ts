/**
 * `cag ops summary` reads the EMF lines the local runtime appended to `<data dir>/metrics.jsonl` (or any file of
 * EMF lines, e.g. exported from CloudWatch Logs) and prints counts, latency percentiles per route and function, the
 * breakdowns by code and type, and what the same usage would cost on AWS.
 */
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { type EmfSummary, summarizeEmf } from '../../../shared/operations/emf-summary.ts';
import { METRICS_FILE_NAME } from '../../local/local-metrics-sink.ts';

const ROOT_DIR = resolve(import.meta.dirname, '../../..');
const DEFAULT_DATA_DIR = resolve(ROOT_DIR, '.data');

async function readLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of reader) lines.push(line);
  return lines;
}

const usd = (value: number) => `$${value.toFixed(value < 1 ? 4 : 2)}`;

/** The summary as an operator reads it: fixed-width tables, largest first. */
export function renderSummary(summary: EmfSummary, file: string): string {
  const out: string[] = [];
  out.push(
    `${file}: ${summary.documents} EMF documents${summary.skippedLines ? `, ${summary.skippedLines} other lines skipped` : ''}`,
  );
  if (summary.from && summary.to) out.push(`from ${summary.from} to ${summary.to}`);
  out.push('', `${'Route or function'.padEnd(52)}requests  5xx  4xx   p50 ms   p95 ms   p99 ms`);
  for (const row of summary.invocations) {
    out.push(
      row.key.slice(0, 51).padEnd(52) +
        String(row.requests).padStart(8) +
        String(row.serverErrors).padStart(5) +
        String(row.clientErrors).padStart(5) +
        row.latencyMs.p50.toFixed(1).padStart(9) +
        row.latencyMs.p95.toFixed(1).padStart(9) +
        row.latencyMs.p99.toFixed(1).padStart(9),
    );
  }
  out.push('', `${'Metric'.padEnd(32) + 'values'.padStart(8) + 'sum'.padStart(16)}  unit`);
  for (const [name, total] of Object.entries(summary.metrics)) {
    out.push(`${name.padEnd(32) + String(total.values).padStart(8) + String(total.sum).padStart(16)}  ${total.unit}`);
  }
  const breakdowns = Object.entries(summary.breakdowns);
  if (breakdowns.length > 0) {
    out.push('', 'Breakdowns');
    for (const [name, byValue] of breakdowns) {
      out.push(
        `  ${name}: ${Object.entries(byValue)
          .map(([key, value]) => `${key} ${value}`)
          .join(', ')}`,
      );
    }
  }
  const cost = summary.estimatedCostUsd;
  out.push(
    '',
    `Estimated AWS cost of this usage (list prices, without the fixed monthly floor): ${usd(cost.total)}`,
    `  models ${usd(cost.models)}, transcription ${usd(cost.transcription)}, PHI detection ${usd(cost.phiDetection)}, requests ${usd(cost.requests)}`,
    '  Locally the offline model and local detector cost nothing; the figure is what Bedrock, Comprehend Medical,',
    '  Transcribe Medical, Lambda and API Gateway would charge for the same activity. See `npx cag cost` for a month.',
  );
  return `${out.join('\n')}\n`;
}

export function opsCommand(): Command {
  const ops = new Command('ops').description('operational views of a run: metrics summaries');
  ops
    .command('summary')
    .description('summarise EMF metric lines: counts, latency percentiles per route, cost estimate')
    .option('--data <dir>', 'local data folder holding metrics.jsonl', process.env.CAG_DATA_DIR ?? DEFAULT_DATA_DIR)
    .option('--file <path>', 'a file of EMF lines (default: <data>/metrics.jsonl)')
    .option('--json', 'print the summary as JSON')
    .action(async (options: { data: string; file?: string; json?: boolean }) => {
      const file = resolve(options.file ?? resolve(options.data, METRICS_FILE_NAME));
      if (!existsSync(file)) {
        throw new Error(
          `${file} does not exist: start the local runtime (npm start, without --memory) and make some requests`,
        );
      }
      const summary = summarizeEmf(await readLines(file));
      process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary, file));
    });
  return ops;
}
