/**
 * The `knowledge` benchmark suite: retrieval quality on the sample handbook for each question set (tuning, held-out,
 * fresh, unseen) and pooled over the sets never used for tuning, then index scale; prints and writes JSON.
 */
import { resolve } from 'node:path';
import { chunkDocument } from '../../shared/knowledge/chunk-document.ts';
import { type BenchRun, benchRun, writeBenchResults } from '../bench-results.ts';
import { formatKnowledgeReport } from './knowledge-report.ts';
import {
  evaluate,
  loadHandbook,
  MEASURING_SETS,
  type ModeResult,
  QUESTION_SETS,
  type QuestionSetName,
  type RetrievalMode,
} from './retrieval-quality.ts';
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

export interface KnowledgeReport extends BenchRun {
  readonly suite: 'knowledge';
  readonly settings: KnowledgeSettings;
  /** One report per declared question set (`QUESTION_SETS`: what each was used for). */
  readonly questionSets: { readonly [name in QuestionSetName]: QualityReport };
  /** Recall@5 per mode over the answerable questions of `MEASURING_SETS` together, the honest headline. */
  readonly pooled: readonly PooledRecall[];
  readonly scale: readonly ScaleResult[];
}

export interface PooledRecall {
  readonly mode: RetrievalMode;
  readonly sets: readonly QuestionSetName[];
  readonly questions: number;
  readonly answeredWithin5: number;
  readonly recallAt5: number;
  /** Wilson score interval at 95%: how far a few questions more or less could move the figure. */
  readonly interval95: { readonly low: number; readonly high: number };
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

/** Recall@5 over the measuring sets together, per mode; a mode is left out when any of those sets was skipped. */
export function poolRecall(
  questionSets: { readonly [name in QuestionSetName]: QualityReport },
  modes: readonly RetrievalMode[],
): PooledRecall[] {
  const reports = MEASURING_SETS.map((name) => questionSets[name]);
  return modes.flatMap((mode) => {
    let questions = 0;
    let answered = 0;
    for (const report of reports) {
      const result = report.status === 'measured' ? report.modes.find((each) => each.mode === mode) : undefined;
      if (result === undefined) return [];
      questions += result.scores.questions;
      answered += Math.round(result.scores.recallAt5 * result.scores.questions);
    }
    if (questions === 0) return [];
    return [
      {
        mode,
        sets: MEASURING_SETS,
        questions,
        answeredWithin5: answered,
        recallAt5: answered / questions,
        interval95: wilsonInterval(answered, questions),
      },
    ];
  });
}

/** The Wilson score interval for a proportion at 95% confidence (z = 1.96). */
export function wilsonInterval(successes: number, trials: number): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const z = 1.96;
  const share = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (share + (z * z) / (2 * trials)) / denominator;
  const spread = (z * Math.sqrt((share * (1 - share)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - spread), high: Math.min(1, centre + spread) };
}

export async function runKnowledgeSuite(options: KnowledgeSuiteOptions): Promise<KnowledgeReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = { ...DEFAULT_KNOWLEDGE_SETTINGS, ...options.settings };
  const repoRoot = resolve(options.repoRoot);

  const questionSets = {} as Record<QuestionSetName, QualityReport>;
  for (const name of Object.keys(QUESTION_SETS) as QuestionSetName[]) {
    const set = QUESTION_SETS[name];
    const measured = await measureQuality(repoRoot, settings.qualityModes, log, set.file, ` (${name})`);
    questionSets[name] = set.listMisses ? measured : withoutOutcomes(measured);
  }
  const scale: ScaleResult[] = [];
  for (const mode of settings.scaleModes) {
    log(`scale: ${mode}, ${settings.chunks.toLocaleString('en-US')} chunks ...`);
    scale.push(await runScale(mode, settings));
  }

  const report: KnowledgeReport = {
    suite: 'knowledge',
    ...benchRun(repoRoot),
    settings,
    questionSets,
    pooled: poolRecall(questionSets, settings.qualityModes),
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
