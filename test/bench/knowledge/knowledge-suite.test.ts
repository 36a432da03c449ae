import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatKnowledgeReport } from '../../../bench/knowledge/knowledge-report.ts';
import { runKnowledgeSuite, wilsonInterval } from '../../../bench/knowledge/knowledge-suite.ts';
import { percentile } from '../../../bench/knowledge/scale-run.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 200 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(100);
    expect(percentile(values, 0.95)).toBe(190);
    expect(percentile(values, 0.99)).toBe(198);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('wilsonInterval', () => {
  it('brackets the observed share and narrows as questions grow', () => {
    const small = wilsonInterval(9, 10);
    const large = wilsonInterval(90, 100);
    expect(small.low).toBeLessThan(0.9);
    expect(small.high).toBeGreaterThan(0.9);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    // Textbook value: 90 of 100 gives about 0.826 to 0.945.
    expect(large.low).toBeCloseTo(0.826, 3);
    expect(large.high).toBeCloseTo(0.945, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('runKnowledgeSuite', () => {
  it('skips quality with a notice when there is no handbook, measures scale, and writes the JSON', async () => {
    const repoRoot = await mkdtemp(join(tmpdir(), 'knowledge-bench-'));
    const lines: string[] = [];
    try {
      const report = await runKnowledgeSuite({
        repoRoot,
        log: (line) => lines.push(line),
        settings: { chunks: 300, chunksPerDocument: 40, queries: 20, warmupQueries: 2, vectorDimensions: 64 },
      });
      expect(report.questionSets.tuned).toEqual({
        status: 'skipped',
        notice: 'docs/examples/knowledge/questions.json is not there yet',
      });
      expect(report.questionSets.fresh).toEqual({
        status: 'skipped',
        notice: 'docs/examples/knowledge/questions-fresh.json is not there yet',
      });
      expect(report.pooled).toEqual([]);
      expect(report.scale.map((result) => [result.mode, result.retriever, result.chunks, result.documents])).toEqual([
        ['lexical', 'bm25 (lexical only)', 300, 8],
        ['hybrid-simulated', 'bm25 + hashing-trick (simulated) (reciprocal rank fusion)', 300, 8],
      ]);
      for (const result of report.scale) {
        expect(result.ingest.chunksPerSecond).toBeGreaterThan(0);
        expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p95);
        expect(result.latencyMs.p95).toBeLessThanOrEqual(result.latencyMs.p99);
        expect(result.meanHits).toBeGreaterThan(0);
      }
      const written = JSON.parse(await readFile(join(repoRoot, 'bench/results/knowledge.json'), 'utf8'));
      expect(written).toMatchObject({ suite: 'knowledge', settings: { chunks: 300 } });
      const printed = lines.join('\n');
      expect(printed).toContain('SKIPPED: docs/examples/knowledge/questions.json is not there yet');
      expect(printed).toContain('bm25 (lexical only)');
      expect(printed).toContain('fresh set (questions-fresh.json)');
      expect(formatKnowledgeReport(report)).toContain('Target: lexical p95 <= 50 ms');
    } finally {
      await rm(repoRoot, { recursive: true, force: true });
    }
  });

  it('scores the fresh set but neither prints nor writes its per-question outcomes', async () => {
    const repoRoot = await mkdtemp(join(tmpdir(), 'knowledge-bench-'));
    const lines: string[] = [];
    try {
      const folder = join(repoRoot, 'docs/examples/knowledge');
      await mkdir(folder, { recursive: true });
      await writeFile(
        join(folder, 'refills.md'),
        '---\ntitle: Refills\naudience: staff\nowner: lead\neffectiveOn: 2026-01-01\nreviewOn: 2027-01-01\nversion: 1\n---\n' +
          '# Refills\n\n## Timing\n\nRoutine refills take two business days.\n',
      );
      const questions = [
        { question: 'How long do routine refills take?', document: 'refills', headingPath: ['Refills', 'Timing'] },
        { question: 'Which zebra handles the giraffe?', document: 'refills', headingPath: ['Refills', 'Timing'] },
      ];
      await writeFile(join(folder, 'questions-fresh.json'), JSON.stringify(questions));
      const easy = { question: 'routine refills timing', document: 'refills', headingPath: ['Refills', 'Timing'] };
      await writeFile(join(folder, 'questions-unseen.json'), JSON.stringify([easy, easy]));
      const report = await runKnowledgeSuite({
        repoRoot,
        log: (line) => lines.push(line),
        settings: { scaleModes: [], qualityModes: ['lexical'] },
      });
      const { fresh, unseen } = report.questionSets;
      if (fresh.status !== 'measured') throw new Error('the fresh set was not measured');
      expect(fresh.modes[0]?.scores.recallAt5).toBe(0.5);
      expect(fresh.modes[0]?.outcomes).toEqual([]);
      if (unseen.status !== 'measured') throw new Error('the unseen set was not measured');
      expect(unseen.modes[0]?.outcomes).toEqual([]);
      // Pooled: fresh answers 1 of 2, unseen 2 of 2.
      expect(report.pooled).toEqual([
        expect.objectContaining({ mode: 'lexical', questions: 4, answeredWithin5: 3, recallAt5: 0.75 }),
      ]);
      const printed = lines.join('\n');
      expect(printed).toContain('Misses are not listed');
      expect(printed).not.toContain('zebra');
      expect(await readFile(join(repoRoot, 'bench/results/knowledge.json'), 'utf8')).not.toContain('zebra');
    } finally {
      await rm(repoRoot, { recursive: true, force: true });
    }
  });
});
