import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { searchKnowledge } from '../../../shared/knowledge/search-knowledge.ts';
import { chunk, detectorFlagging, hit, RecordingIndex } from './knowledge-fakes.ts';

const { detector } = detectorFlagging('Mrs. Roe');

describe('searchKnowledge', () => {
  it('searches the index with the trimmed query, a default limit of 5 and the given audiences', async () => {
    const index = new RecordingIndex();
    index.nextHits = [hit(chunk())];
    const hits = await searchKnowledge({ query: '  refill turnaround  ', audiences: ['public'] }, { index, detector });
    expect(hits).toEqual(index.nextHits);
    expect(index.searches).toEqual([
      { query: 'refill turnaround', limit: 5, filter: { audiences: ['public'], queryIsPhiFree: true } },
    ]);
  });

  it('lets the query reach an embedding model only when the scan found no PHI and did not fail', async () => {
    const index = new RecordingIndex();
    await searchKnowledge({ query: 'INR protocol for Mrs. Roe', audiences: ['staff'] }, { index, detector });
    const failing = { name: 'down', detect: async () => Promise.reject(new Error('detector down')) };
    await searchKnowledge({ query: 'INR protocol', audiences: ['staff'] }, { index, detector: failing });
    expect(index.searches.map((search) => search.filter.queryIsPhiFree)).toEqual([false, false]);
  });

  it('passes an explicit limit between 1 and 20', async () => {
    const index = new RecordingIndex();
    await searchKnowledge({ query: 'refills', limit: 20, audiences: ['staff', 'public'] }, { index, detector });
    expect(index.searches[0]?.limit).toBe(20);
  });

  it.each([
    ['a limit of 0', { query: 'refills', limit: 0, audiences: ['staff'] }, 'limit'],
    ['a limit of 21', { query: 'refills', limit: 21, audiences: ['staff'] }, 'limit'],
    ['a fractional limit', { query: 'refills', limit: 2.5, audiences: ['staff'] }, 'limit'],
    ['a blank query', { query: '   ', audiences: ['staff'] }, 'query'],
    ['a query over 1,000 characters', { query: 'x'.repeat(1001), audiences: ['staff'] }, 'query'],
    ['no audience', { query: 'refills', audiences: [] }, 'audiences'],
  ] as const)('rejects %s without searching or echoing the query', async (_, request, field) => {
    const index = new RecordingIndex();
    const error = await searchKnowledge({ ...request, audiences: [...request.audiences] }, { index, detector }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error).toMatchObject({ code: 'INVALID_SEARCH_REQUEST', details: { fields: [field] } });
    expect((error as Error).message).not.toContain('refills');
    expect(index.searches).toEqual([]);
  });
});
