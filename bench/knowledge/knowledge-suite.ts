/**
 * The `knowledge` benchmark suite: retrieval quality on the sample handbook for each question set (tuning, held-out,
 * fresh), then index scale; prints and writes JSON.
 */
import { execFileSync } from 'node:child_process';
import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { chunkDocument } from '../../shared/knowledge/chunk-document.ts';
import { writeBenchResults } from '../bench-results.ts';
import { formatKnowledgeReport } from './knowledge-report.ts';
import { evaluate, loadHandbook, type ModeResult, QUESTION_SETS, type RetrievalMode } from './retrieval-quality.ts';
import { percentile, runScale, type ScaleMode, type ScaleResult, type ScaleSettings } from './scale-run.ts';

export interface KnowledgeSettings extends ScaleSettings {
  readonly scaleModes: readonly ScaleMode[];
  readonly qualityModes: readonly RetrievalMode[];
  readonly targetP95Ms: number;
}

export type QualityReport =
  | { readonly status: 'skipped'; readonly notice: string }
  | {
      readonly status: 'measured';
      readonly documents: number;
      readonly chunks: number;
      readonly chunkWords: { readonly min: number; readonly median: number; readonly max: number };
      readonly questions: number;
      readonly unanswerable: number;
      readonly modes: readonly ModeResult[];
    };

export interface KnowledgeReport {
  readonly suite: 'knowledge';
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
  readonly settings: KnowledgeSettings;
  /** `questions.json`: the set the retriever was tuned on. */
  readonly quality: QualityReport;
  /** `questions-holdout.json`: held out in the first tuning pass, used to choose changes in the second. */
  readonly heldOut: QualityReport;
  /** `questions-fresh.json`: written before the second pass and never used to choose anything. */
  readonly fresh: QualityReport;
  readonly scale: readonly ScaleResult[];
}

export interface KnowledgeSuiteOptions {
  readonly repoRoot: string;
  readonly settings?: Partial<KnowledgeSettings>;
  readonly log?: (line: string) => void;
  /** Where the JSON goes, relative to the repository; `false` writes nothing (tests). */
  readonly resultsPath?: string | false;
}

export const DEFAULT_KNOWLEDGE_SETTINGS: KnowledgeSettings = {
  seed: 'knowledge-scale-v1',
  chunks: 100_000,
  chunksPerDocument: 50,
  queries: 200,
  warmupQueries: 20,
  limit: 5,
  vectorDimensions: 512,
  scaleModes: ['lexical', 'hybrid-simulated'],
  qualityModes: ['lexical', 'hybrid-simulated'],
  targetP95Ms: 50,
};

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

async function measureQuality(
  repoRoot: string,
  modes: readonly RetrievalMode[],
  log: (line: string) => void,
  questionsFile: string,
  label: string,
): Promise<QualityReport> {
  const handbook = await loadHandbook(repoRoot, questionsFile);
  if ('notice' in handbook) {
    log(`retrieval quality${label} skipped: ${handbook.notice}`);
    return { status: 'skipped', notice: handbook.notice };
  }
  const words = handbook.documents
    .flatMap((document) => chunkDocument(document))
    .map((chunk) => chunk.text.split(/\s+/).filter((word) => word !== '').length)
    .sort((a, b) => a - b);
  const results: ModeResult[] = [];
  for (const mode of modes) {
    log(`retrieval quality${label}: ${mode} ...`);
    results.push(await evaluate(handbook, mode));
  }
  return {
    status: 'measured',
    documents: handbook.documents.length,
    chunks: words.length,
    chunkWords: { min: words[0] ?? 0, median: percentile(words, 0.5), max: words.at(-1) ?? 0 },
    questions: handbook.questions.filter((question) => question.document !== null).length,
    unanswerable: handbook.questions.filter((question) => question.document === null).length,
    modes: results,
  };
}

/** Scores only: the per-question outcomes of a set kept unseen for tuning are not printed or written. */
function withoutOutcomes(quality: QualityReport): QualityReport {
  if (quality.status === 'skipped') return quality;
  return { ...quality, modes: quality.modes.map((mode) => ({ ...mode, outcomes: [] })) };
}

export async function runKnowledgeSuite(options: KnowledgeSuiteOptions): Promise<KnowledgeReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = { ...DEFAULT_KNOWLEDGE_SETTINGS, ...options.settings };
  const repoRoot = resolve(options.repoRoot);

  const { tuned, heldOut: heldOutSet, fresh: freshSet } = QUESTION_SETS;
  const quality = await measureQuality(repoRoot, settings.qualityModes, log, tuned.file, '');
  const heldOut = await measureQuality(repoRoot, settings.qualityModes, log, heldOutSet.file, ' (held-out)');
  const fresh = withoutOutcomes(await measureQuality(repoRoot, settings.qualityModes, log, freshSet.file, ' (fresh)'));
  const scale: ScaleResult[] = [];
  for (const mode of settings.scaleModes) {
    log(`scale: ${mode}, ${settings.chunks.toLocaleString('en-US')} chunks ...`);
    scale.push(await runScale(mode, settings));
  }

  const report: KnowledgeReport = {
    suite: 'knowledge',
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
    settings,
    quality,
    heldOut,
    fresh,
    scale,
  };
  log(formatKnowledgeReport(report));
  const relative = options.resultsPath ?? 'bench/results/knowledge.json';
  if (relative !== false) {
    await writeBenchResults(repoRoot, relative, report);
    log(`results written to ${relative}`);
  }
  return report;
}
