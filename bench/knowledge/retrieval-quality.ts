/** Retrieval quality on the sample handbook: does a top-5 chunk come from the expected document and section? */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { InMemoryVectorIndex } from '../../shared/adapters/local/in-memory-vector-index.ts';
import { chunkDocument } from '../../shared/knowledge/chunk-document.ts';
import { documentFromFile } from '../../shared/knowledge/front-matter.ts';
import { HybridRetriever } from '../../shared/knowledge/hybrid-retriever.ts';
import {
  Audience,
  type KnowledgeChunk,
  type KnowledgeDocumentInput,
  type SearchHit,
} from '../../shared/knowledge/knowledge-document.ts';
import type { ChunkIndex } from '../../shared/ports/knowledge-store.ts';
import { HashingEmbedder } from './hashing-embedder.ts';
import { percentile } from './scale-run.ts';

export const HANDBOOK_DIR = 'docs/examples/knowledge';
export const QUESTIONS_FILE = 'questions.json';
/** Questions written without looking at the retriever's tuning, scored and reported separately as "held-out". */
export const HOLDOUT_QUESTIONS_FILE = 'questions-holdout.json';
/** Questions written before the second tuning pass and never used to choose anything. */
export const FRESH_QUESTIONS_FILE = 'questions-fresh.json';
/** Questions written by someone who read only the handbook, never the retriever, its tables or the other sets. */
export const UNSEEN_QUESTIONS_FILE = 'questions-unseen.json';

/** What a question set was used for, printed with its scores so nobody mistakes a tuning score for a measure. */
export interface QuestionSet {
  readonly file: string;
  readonly title: string;
  readonly role: string;
  /** Whether the bench prints the questions the lexical mode misses; off for a set kept unseen for tuning. */
  readonly listMisses: boolean;
}

export const QUESTION_SETS = {
  tuned: {
    file: QUESTIONS_FILE,
    title: 'tuning set (questions.json)',
    role: 'used to write the synonym table (first pass) and to choose every ranking change (both passes)',
    listMisses: true,
  },
  heldOut: {
    file: HOLDOUT_QUESTIONS_FILE,
    title: 'held-out set (questions-holdout.json)',
    role: 'held out in the first pass; in the second pass its misses were read and it chose between changes',
    listMisses: true,
  },
  fresh: {
    file: FRESH_QUESTIONS_FILE,
    title: 'fresh set (questions-fresh.json)',
    role: 'written before the second pass; never used to choose; its misses are not printed, to keep it unseen',
    listMisses: false,
  },
  unseen: {
    file: UNSEEN_QUESTIONS_FILE,
    title: 'unseen set (questions-unseen.json)',
    role:
      'written in the third pass by a separate author who read only the handbook (not the retriever, its synonym ' +
      'table or the other sets); never used to choose; its misses are not printed',
    listMisses: false,
  },
} as const satisfies Record<string, QuestionSet>;
export type QuestionSetName = keyof typeof QUESTION_SETS;
/** The sets never used to choose anything: pooled into one recall with a confidence interval. */
export const MEASURING_SETS: readonly QuestionSetName[] = ['fresh', 'unseen'];
/** A question is answered when a chunk within this many hits is correct. */
export const DEPTH = 5;

/** `document: null` marks a question the handbook does not answer (a retriever should find nothing convincing). */
export const BenchQuestion = z.object({
  question: z.string().min(1),
  document: z.string().min(1).nullable(),
  headingPath: z.array(z.string()),
  audience: Audience.default('staff'),
});
export type BenchQuestion = z.infer<typeof BenchQuestion>;
type AnswerableQuestion = BenchQuestion & { readonly document: string };

export interface Handbook {
  readonly documents: readonly KnowledgeDocumentInput[];
  readonly questions: readonly BenchQuestion[];
}

export type RetrievalMode = 'lexical' | 'hybrid-simulated';

export interface QuestionOutcome {
  readonly question: string;
  readonly document: string | null;
  readonly headingPath: readonly string[];
  /** 1-based rank of the first correct hit within DEPTH, or null. */
  readonly rank: number | null;
  readonly top: { readonly documentId: string; readonly headingPath: readonly string[] } | null;
  /** The retriever's score of its first hit (BM25, or the fused RRF score), 0 when nothing was found. */
  readonly topScore: number;
}

export interface QualityScores {
  /** Answerable questions, the ones recall and MRR are computed over. */
  readonly questions: number;
  readonly recallAt1: number;
  readonly recallAt5: number;
  /** Mean reciprocal rank of the first correct hit, counting 0 beyond rank 5. */
  readonly mrrAt5: number;
}

export interface ModeResult {
  readonly mode: RetrievalMode;
  readonly retriever: string;
  readonly simulated: boolean;
  readonly scores: QualityScores;
  /** Median score of the first hit, for answerable and unanswerable questions: how far apart a threshold could sit. */
  readonly medianTopScore: { readonly answerable: number; readonly unanswerable: number };
  readonly outcomes: readonly QuestionOutcome[];
}

/** Correct: the expected document, and a heading path that starts with the expected one. */
export function isCorrectHit(
  chunk: KnowledgeChunk,
  question: Pick<AnswerableQuestion, 'document' | 'headingPath'>,
): boolean {
  return (
    chunk.documentId === question.document &&
    question.headingPath.every((heading, index) => chunk.headingPath[index] === heading)
  );
}

export function rankOfFirstCorrect(
  hits: readonly SearchHit[],
  question: Pick<AnswerableQuestion, 'document' | 'headingPath'>,
): number | null {
  const index = hits.slice(0, DEPTH).findIndex((hit) => isCorrectHit(hit.chunk, question));
  return index < 0 ? null : index + 1;
}

export function summarize(outcomes: readonly Pick<QuestionOutcome, 'rank'>[]): QualityScores {
  const count = outcomes.length;
  const share = (value: number) => (count === 0 ? Number.NaN : value / count);
  return {
    questions: count,
    recallAt1: share(outcomes.filter((outcome) => outcome.rank === 1).length),
    recallAt5: share(outcomes.filter((outcome) => outcome.rank !== null).length),
    mrrAt5: share(outcomes.reduce((sum, outcome) => sum + (outcome.rank === null ? 0 : 1 / outcome.rank), 0)),
  };
}

/** The handbook and one of its question sets, or why they could not be read. */
export async function loadHandbook(
  repoRoot: string,
  questionsFile: string = QUESTIONS_FILE,
): Promise<Handbook | { readonly notice: string }> {
  const dir = join(repoRoot, HANDBOOK_DIR);
  const questionsPath = join(dir, questionsFile);
  if (!existsSync(questionsPath)) return { notice: `${HANDBOOK_DIR}/${questionsFile} is not there yet` };
  const files = (await readdir(dir)).filter((file) => file.endsWith('.md') && !/^readme\./i.test(file)).sort();
  if (files.length === 0) return { notice: `${HANDBOOK_DIR} has no Markdown documents yet` };
  const documents: KnowledgeDocumentInput[] = [];
  for (const file of files) {
    documents.push(documentFromFile(basename(file, '.md'), 'markdown', await readFile(join(dir, file), 'utf8')));
  }
  const parsed = z.array(BenchQuestion).safeParse(JSON.parse(await readFile(questionsPath, 'utf8')));
  if (!parsed.success) return { notice: `${HANDBOOK_DIR}/${questionsFile} does not match the question shape` };
  const known = new Set(documents.map((document) => document.documentId));
  const unknown = parsed.data.filter((question) => question.document !== null && !known.has(question.document));
  if (unknown.length > 0) {
    return { notice: `${unknown.length} questions name a document that is not in ${HANDBOOK_DIR}` };
  }
  return { documents, questions: parsed.data };
}

export function retrieverFor(mode: RetrievalMode): ChunkIndex {
  if (mode === 'lexical') return new HybridRetriever();
  const embedder = new HashingEmbedder(512);
  return new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(embedder.dimensions) } });
}

export async function evaluate(handbook: Handbook, mode: RetrievalMode): Promise<ModeResult> {
  const index = retrieverFor(mode);
  for (const document of handbook.documents) await index.upsert(chunkDocument(document));
  const outcomes: QuestionOutcome[] = [];
  for (const question of handbook.questions) {
    // Staff see staff and public documents; the patient FAQ sees public ones only.
    const audiences = question.audience === 'public' ? (['public'] as const) : (['staff', 'public'] as const);
    // The questions hold no PHI (written for the handbook), so the vector side may see them, as it would in AWS
    // after a clean PHI scan; without the flag a hybrid index answers lexically and both modes would score alike.
    const hits = await index.search(question.question, DEPTH, { audiences: [...audiences], queryIsPhiFree: true });
    const first = hits[0]?.chunk;
    const { document } = question;
    outcomes.push({
      question: question.question,
      document,
      headingPath: question.headingPath,
      rank: document === null ? null : rankOfFirstCorrect(hits, { document, headingPath: question.headingPath }),
      top: first === undefined ? null : { documentId: first.documentId, headingPath: first.headingPath },
      topScore: hits[0]?.score ?? 0,
    });
  }
  const answerable = outcomes.filter((outcome) => outcome.document !== null);
  const unanswerable = outcomes.filter((outcome) => outcome.document === null);
  const median = (group: readonly QuestionOutcome[]) =>
    percentile(
      group.map((outcome) => outcome.topScore).sort((a, b) => a - b),
      0.5,
    );
  return {
    mode,
    retriever: index.name,
    simulated: mode !== 'lexical',
    scores: summarize(answerable),
    medianTopScore: { answerable: median(answerable), unanswerable: median(unanswerable) },
    outcomes,
  };
}
