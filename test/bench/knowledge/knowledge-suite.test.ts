import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatKnowledgeReport } from '../../../bench/knowledge/knowledge-report.ts';
import { runKnowledgeSuite } from '../../../bench/knowledge/knowledge-suite.ts';
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
      expect(report.quality).toEqual({
        status: 'skipped',
        notice: 'docs/examples/knowledge/questions.json is not there yet',
      });
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
      expect(formatKnowledgeReport(report)).toContain('Target: lexical p95 <= 50 ms');
    } finally {
      await rm(repoRoot, { recursive: true, force: true });
    }
  });
});
