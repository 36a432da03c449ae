/** A benchmark run's provenance (date, Node, commit, machine), and writing its report under `bench/results/`. */
import { execFileSync } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

export interface BenchRun {
  readonly date: string;
  readonly node: string;
  readonly commit: string | null;
  readonly machine: {
    readonly cores: number;
    readonly cpu: string;
    readonly platform: string;
    readonly arch: string;
    readonly memoryGb: number;
  };
}

/** Where and when a report was measured, so numbers from different machines are never mixed up. */
export function benchRun(repoRoot: string): BenchRun {
  return {
    date: new Date().toISOString(),
    node: process.version,
    commit: gitCommit(repoRoot),
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      platform: platform(),
      arch: arch(),
      memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    },
  };
}

function gitCommit(repoRoot: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** Writes atomically, so a reader never sees half a file; `relative` is from the repository root; the `.tmp` name is git-ignored. */
export async function writeBenchResults(repoRoot: string, relative: string, report: unknown): Promise<void> {
  const resultsPath = join(repoRoot, relative);
  await mkdir(dirname(resultsPath), { recursive: true });
  await writeFile(`${resultsPath}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${resultsPath}.tmp`, resultsPath);
}
