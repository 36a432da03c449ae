/** Renders the knowledge benchmark report as plain-text tables for the terminal. */
import type { KnowledgeReport } from './knowledge-suite.ts';
import { QUESTION_SETS, type QuestionSet, type QuestionSetName } from './retrieval-quality.ts';

type Cell = string | number;

function table(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const fixed = (value: number | null, digits = 3) =>
  value !== null && Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** One question set's quality section; `explain` adds the notes on how it is scored (printed once, with the first set). */
function formatQuality(
  set: QuestionSet,
  quality: KnowledgeReport['questionSets']['tuned'],
  explain: boolean,
): string[] {
  const out: string[] = ['', `Retrieval quality on the sample handbook: ${set.title}`, `  Role: ${set.role}.`];
  if (quality.status === 'skipped') {
    out.push(`  SKIPPED: ${quality.notice}`);
  } else {
    out.push(
      `${quality.documents} documents, ${quality.chunks} chunks (words per chunk: min ${quality.chunkWords.min}, ` +
        `median ${quality.chunkWords.median}, max ${quality.chunkWords.max}), ${quality.questions} answerable and ` +
        `${quality.unanswerable} unanswerable questions.`,
      ...(explain
        ? [
            'A question is answered when a top-5 chunk has the expected document and its heading path starts with the',
            'expected one; MRR@5 counts 0 for a question not answered within 5. Unanswerable questions are left out of',
            'recall and MRR; the last two columns compare the median score of the first hit for both kinds.',
          ]
        : []),
      '',
      table(
        ['mode', 'retriever', 'recall@1', 'recall@5', 'MRR@5', 'top score (answerable)', 'top score (unanswerable)'],
        quality.modes.map((mode) => [
          `${mode.mode}${mode.simulated ? '*' : ''}`,
          mode.retriever,
          fixed(mode.scores.recallAt1),
          fixed(mode.scores.recallAt5),
          fixed(mode.scores.mrrAt5),
          fixed(mode.medianTopScore.answerable, 3),
          fixed(mode.medianTopScore.unanswerable, 3),
        ]),
      ),
    );
    if (explain && quality.modes.some((mode) => mode.simulated)) {
      out.push(
        '* SIMULATED: the vector side uses a hashing-trick embedder (word stems and character 4-grams), not Titan;',
        '  it measures fusion mechanics, not semantic retrieval. Real hybrid quality needs a run with Bedrock access.',
      );
    }
    const lexical = quality.modes.find((mode) => mode.mode === 'lexical');
    const misses = lexical?.outcomes.filter((outcome) => outcome.document !== null && outcome.rank === null) ?? [];
    if (!set.listMisses) {
      out.push('', 'Misses are not listed (nor written to the JSON), so that this set stays unseen.');
    } else if (misses.length > 0) {
      out.push('', `Questions the lexical mode misses within 5 (${misses.length}):`);
      for (const miss of misses) {
        const top = miss.top === null ? 'nothing' : `${miss.top.documentId} > ${miss.top.headingPath.join(' > ')}`;
        out.push(`  - ${miss.question}`, `      expected ${miss.headingPath.join(' > ')}; top: ${top}`);
      }
    }
  }
  return out;
}

export function formatKnowledgeReport(report: KnowledgeReport): string {
  const out: string[] = [
    '',
    'Knowledge retrieval benchmark (knowledge)',
    `${report.date} | node ${report.node} | commit ${report.commit?.slice(0, 12) ?? 'unknown'} | ${report.machine.cores} cores (${report.machine.cpu})`,
  ];
  (Object.keys(QUESTION_SETS) as QuestionSetName[]).forEach((name, position) => {
    out.push(...formatQuality(QUESTION_SETS[name], report.questionSets[name], position === 0));
  });
  if (report.pooled.length > 0) {
    const sets = report.pooled[0]?.sets.map((name) => QUESTION_SETS[name].file).join(' + ') ?? '';
    out.push(
      '',
      `Pooled over the sets never used for tuning (${sets}): the headline figure`,
      table(
        ['mode', 'questions', 'answered within 5', 'recall@5', '95% interval (Wilson)'],
        report.pooled.map((pooled) => [
          pooled.mode,
          pooled.questions,
          pooled.answeredWithin5,
          fixed(pooled.recallAt5),
          `${fixed(pooled.interval95.low)} - ${fixed(pooled.interval95.high)}`,
        ]),
      ),
    );
  }
  out.push(
    '',
    `Scale: ${count(report.settings.chunks)} synthetic chunks, ${report.settings.queries} queries (after ${report.settings.warmupQueries} warm-up), top ${report.settings.limit}, one thread`,
    table(
      [
        'mode',
        'retriever',
        'chunks',
        'ingest chunks/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'corpus memory',
        'index memory',
      ],
      report.scale.map((result) => [
        `${result.mode}${result.simulated ? '*' : ''}`,
        result.retriever,
        count(result.chunks),
        count(result.ingest.chunksPerSecond),
        fixed(result.latencyMs.p50, 2),
        fixed(result.latencyMs.p95, 2),
        fixed(result.latencyMs.p99, 2),
        fixed(result.latencyMs.max, 2),
        result.heapMb.corpus === null ? 'n/a' : `${count(result.heapMb.corpus)} MB`,
        result.heapMb.index === null ? 'n/a' : `${count(result.heapMb.index)} MB`,
      ]),
    ),
    `Target: lexical p95 <= ${report.settings.targetP95Ms} ms at 100,000 chunks.` +
      (report.scale.some((result) => result.simulated)
        ? ` * hybrid rows embed with the hashing trick (${report.settings.vectorDimensions} dims): ingest excludes Titan calls and search excludes the query-embedding round trip; the exact cosine scan is real.`
        : ''),
    'Memory: JS heap used plus ArrayBuffers (typed-array postings and vectors live there), after a forced full GC;',
    '"corpus" is the chunk objects themselves, "index" what the index adds on top of them.',
  );
  return out.join('\n');
}
