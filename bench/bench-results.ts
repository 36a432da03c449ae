/** Writes a benchmark's report under `bench/results/`, atomically, so a reader never sees half a file. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** `relative` is from the repository root; the `.tmp` name is git-ignored. */
export async function writeBenchResults(repoRoot: string, relative: string, report: unknown): Promise<void> {
  const resultsPath = join(repoRoot, relative);
  await mkdir(dirname(resultsPath), { recursive: true });
  await writeFile(`${resultsPath}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${resultsPath}.tmp`, resultsPath);
}
