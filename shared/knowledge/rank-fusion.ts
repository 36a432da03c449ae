/** Reciprocal rank fusion: merges ranked lists by rank alone, so scores on different scales never need calibrating. */
import type { SearchHit } from './knowledge-document.ts';

/** The constant from Cormack, Clarke and Büttcher (SIGIR 2009): it damps the weight of the very top ranks. */
export const RRF_K = 60;

/**
 * Fuses rankings (each best first) into one: a chunk scores the sum of 1 / (k + rank) over the lists it appears
 * in. The fused hit keeps the lexical and vector ranks it had in its inputs. Ties go to the better single rank,
 * then to the smaller chunk id, so the order is deterministic. Pure: the inputs are not modified.
 */
export function fuseRankings(rankings: readonly (readonly SearchHit[])[], k = RRF_K): SearchHit[] {
  if (!Number.isFinite(k) || k < 0) throw new RangeError('k must be a finite number >= 0');
  const fused = new Map<string, { hit: SearchHit; score: number; bestRank: number }>();
  for (const ranking of rankings) {
    const seen = new Set<string>();
    ranking.forEach((hit, index) => {
      const { chunkId } = hit.chunk;
      // A list that names a chunk twice counts it once, at its better rank.
      if (seen.has(chunkId)) return;
      seen.add(chunkId);
      const rank = index + 1;
      const entry = fused.get(chunkId);
      if (entry === undefined) {
        fused.set(chunkId, { hit, score: 1 / (k + rank), bestRank: rank });
        return;
      }
      entry.score += 1 / (k + rank);
      entry.bestRank = Math.min(entry.bestRank, rank);
      entry.hit = {
        ...entry.hit,
        ...(entry.hit.lexicalRank === undefined && hit.lexicalRank !== undefined && { lexicalRank: hit.lexicalRank }),
        ...(entry.hit.vectorRank === undefined && hit.vectorRank !== undefined && { vectorRank: hit.vectorRank }),
      };
    });
  }
  return [...fused.values()]
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.bestRank - b.bestRank ||
        (a.hit.chunk.chunkId < b.hit.chunk.chunkId ? -1 : a.hit.chunk.chunkId > b.hit.chunk.chunkId ? 1 : 0),
    )
    .map(({ hit, score }) => ({
      chunk: hit.chunk,
      score,
      ...(hit.lexicalRank !== undefined && { lexicalRank: hit.lexicalRank }),
      ...(hit.vectorRank !== undefined && { vectorRank: hit.vectorRank }),
    }));
}
