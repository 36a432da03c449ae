/** Renders a de-identification benchmark report as plain-text tables for the terminal. */
import { PHI_TYPES } from '../../shared/phi/phi-types.ts';
import { DETECT_PHI_QUOTA_CHARACTERS_PER_SECOND } from './bench-detectors.ts';
import type { DeidReport } from './deid-suite.ts';

type Cell = string | number;
type Align = 'left' | 'right';

function table(header: readonly Cell[], rows: readonly (readonly Cell[])[], align: readonly Align[]): string {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  return all
    .map((row) =>
      row
        .map((cell, column) =>
          (align[column] ?? 'right') === 'left' ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const fixed = (value: number, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const count = (value: number) => value.toLocaleString('en-US');

export function formatDeidReport(report: DeidReport): string {
  const out: string[] = [];
  out.push(
    '',
    'De-identification benchmark (deid)',
    `${report.date} | node ${report.node} | commit ${report.commit?.slice(0, 12) ?? 'unknown'} | ${report.machine.cores} cores (${report.machine.cpu})`,
    `An entity is found when >= ${report.settings.coverageThreshold * 100}% of its characters are covered by detected spans of any type;`,
    'a detected span is correct when it overlaps any gold entity. Throughput counts detector time only;',
    'peak heap is sampled while the row runs; peak RSS is the whole process so far, so it only grows down the table.',
    '',
    'Corpora',
    table(
      ['corpus', 'notes', 'entities', 'MB', 'source'],
      report.corpora.map((corpus) => [
        corpus.name,
        count(corpus.notes),
        count(corpus.entities),
        fixed(corpus.bytes / 1e6, 2),
        corpus.source,
      ]),
      ['left', 'right', 'right', 'right', 'left'],
    ),
  );
  for (const corpus of report.corpora) {
    out.push(
      '',
      `${corpus.name}: entities by type`,
      Object.entries(corpus.entitiesByType)
        .map(([type, n]) => `${type} ${n}`)
        .join(', '),
    );
    if (corpus.synthetic) {
      out.push(
        `${corpus.name}: notes by genre`,
        Object.entries(corpus.kinds)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', '),
      );
    }
    for (const remark of corpus.remarks) out.push(`  note: ${remark}`);
  }
  if (report.notices.length > 0) out.push('', 'Not read', ...report.notices.map((notice) => `  - ${notice}`));
  out.push(
    '',
    'Detectors',
    ...report.detectors.map((detector) =>
      detector.status === 'ready'
        ? `  ${detector.name}: ${detector.label}`
        : `  ${detector.name}: SKIPPED (${detector.reason})`,
    ),
  );
  if (report.results.length === 0) {
    out.push('', 'No detector could be loaded, so nothing was measured.');
    return out.join('\n');
  }
  if (report.results.some((result) => result.simulated)) {
    out.push(
      '',
      '* SIMULATED: Comprehend Medical is replaced by a fake client answering from the gold labels minus a fixed',
      `  ${report.settings.simulatedMissRate * 100}% of strings (no AWS access here). Those rows measure the ensemble's mechanics`,
      "  (chunking, offsets, merging, type mapping), NOT Comprehend Medical's real accuracy or speed. The adapter's",
      `  quota budget is lifted for them; in AWS the default DetectPHI quota of ${count(DETECT_PHI_QUOTA_CHARACTERS_PER_SECOND)} characters per second`,
      `  caps Comprehend (and so the ensemble) at about ${fixed(DETECT_PHI_QUOTA_CHARACTERS_PER_SECOND / 1e6, 2)} MB/s per account.`,
    );
  }
  for (const corpus of report.corpora) {
    const results = report.results.filter((result) => result.corpus === corpus.name);
    if (results.length === 0) continue;
    const name = (result: (typeof results)[number]) => `${result.detector}${result.simulated ? '*' : ''}`;
    out.push(
      '',
      `== ${corpus.name} ==`,
      table(
        [
          'detector',
          'recall',
          'precision',
          'F1',
          'typed recall',
          'char recall',
          'MB/s',
          '1 MB note',
          'peak heap',
          'peak RSS',
        ],
        results.map((result) => [
          name(result),
          fixed(result.scores.recall),
          fixed(result.scores.precision),
          fixed(result.scores.f1),
          fixed(result.scores.typeAwareRecall),
          fixed(result.scores.charRecall),
          `${fixed(result.throughput.mbPerSecond, 2)}${result.throughput.method === 'detect' ? ' (async)' : ''}`,
          `${fixed(result.largeNote.medianMs, 0)} ms`,
          `${fixed(result.memory.peakHeapUsedMb, 0)} MB`,
          `${fixed(result.memory.peakRssMb, 0)} MB`,
        ]),
        ['left'],
      ),
    );
    for (const result of results) {
      const problems = [
        result.failedNotes > 0 && `${result.failedNotes} notes rejected by detect() (scored as nothing found)`,
        result.invalidSpans > 0 && `${result.invalidSpans} spans with invalid offsets or types dropped`,
        ...result.remarks,
      ].filter((problem): problem is string => typeof problem === 'string');
      for (const problem of problems) out.push(`  ${name(result)}: ${problem}`);
    }
    out.push(
      '',
      'Recall by type (any type / same type)',
      table(
        ['type', 'gold', ...results.map(name)],
        PHI_TYPES.filter((type) => corpus.entitiesByType[type]).map((type) => [
          type,
          corpus.entitiesByType[type] ?? 0,
          ...results.map((result) => {
            const scores = result.scores.perType[type];
            return scores ? `${fixed(scores.recall, 2)} / ${fixed(scores.typeAwareRecall, 2)}` : '-';
          }),
        ]),
        ['left'],
      ),
    );
    for (const result of results) {
      if (result.topMisses.length === 0) continue;
      out.push(
        '',
        `Most common misses of ${name(result)} by type and format shape${corpus.synthetic ? ' (synthetic: one example each)' : ' (counts only)'}`,
        table(
          ['type', 'shape', 'missed', ...(corpus.synthetic ? ['example'] : [])],
          result.topMisses.map((miss) => [
            miss.type,
            miss.shape,
            miss.count,
            ...(corpus.synthetic ? [JSON.stringify(miss.example ?? '')] : []),
          ]),
          ['left', 'left', 'right', 'left'],
        ),
      );
    }
  }
  return out.join('\n');
}
