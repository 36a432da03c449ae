import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index, stem, tokenize } from '../../../shared/knowledge/lexical-index.ts';
import { QueryExpander } from '../../../shared/knowledge/query-expansion.ts';
import { chunk } from './knowledge-fakes.ts';

const everyone = { audiences: ['staff', 'public'] as ('staff' | 'public')[] };
const ids = (hits: { chunk: { chunkId: string } }[]) => hits.map((hit) => hit.chunk.chunkId);

const corpus = () => [
  chunk({ documentId: 'refills', ordinal: 0, text: 'Routine refills are completed within two business days.' }),
  chunk({
    documentId: 'refills',
    ordinal: 1,
    headingPath: ['Refills', 'Controlled substances'],
    text: 'Controlled substance refills are never approved by staff; the prescriber decides.',
  }),
  chunk({
    documentId: 'vaccines',
    ordinal: 0,
    title: 'Vaccine storage',
    headingPath: ['Vaccine storage', 'Temperature excursions'],
    text: 'When the refrigerator reads above 8 degrees, quarantine the vaccines and call the manufacturer.',
  }),
  chunk({
    documentId: 'hours',
    ordinal: 0,
    title: 'Office hours',
    audience: 'public',
    headingPath: ['Office hours'],
    text: 'The office is open from 8 to 5 on weekdays. Parking is free.',
  }),
];

async function indexOf(chunks = corpus()) {
  const index = new Bm25Index();
  await index.upsert(chunks);
  return index;
}

describe('Bm25Index', () => {
  it('is named bm25 and counts live chunks', async () => {
    const index = await indexOf();
    expect(index.name).toBe('bm25');
    expect(index.size).toBe(4);
  });

  it('ranks first the chunk that holds the query terms, and says so in lexicalRank', async () => {
    const index = await indexOf();
    const hits = await index.search('What do we do when the vaccine refrigerator is too warm?', 3, everyone);
    expect(hits[0]?.chunk.documentId).toBe('vaccines');
    expect(hits[0]?.lexicalRank).toBe(1);
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));

    const controlled = await index.search('controlled substances refill', 5, everyone);
    expect(ids(controlled)[0]).toBe('refills:000000000001');
  });

  it('matches heading words as well as text', async () => {
    const index = await indexOf();
    const hits = await index.search('excursions', 5, everyone);
    expect(ids(hits)).toEqual(['vaccines:000000000000']);
  });

  it('weighs the innermost heading above its parents, and its parents above the body', async () => {
    const sections = [
      chunk({ ordinal: 0, headingPath: ['Refills', 'Storage', 'Binder'], text: 'Keep the log with the binder.' }),
      chunk({ ordinal: 1, headingPath: ['Refills', 'Binder', 'Other'], text: 'Keep the log with the storage.' }),
      chunk({ ordinal: 2, headingPath: ['Refills', 'Binder', 'Storage'], text: 'Keep the log with the binder.' }),
    ];
    const index = await indexOf(sections);
    // Chunks 0 and 2 have the same words and lengths; only the heading each word sits in tells them apart.
    expect(ids(await index.search('storage', 5, everyone))).toEqual([
      'refill-protocol:000000000002',
      'refill-protocol:000000000000',
      'refill-protocol:000000000001',
    ]);
  });

  it('does not count a first heading that repeats the document title twice', async () => {
    const repeated = chunk({ ordinal: 0, title: 'Refills', headingPath: ['Refills', 'Timing'], text: 'Two days.' });
    const distinct = chunk({ ordinal: 1, title: 'Refills', headingPath: ['Renewals', 'Timing'], text: 'Two days.' });
    const index = await indexOf([repeated, distinct]);
    const [first, second] = await index.search('timing', 5, everyone);
    // Equal term frequency; the repeated title does not lengthen the first chunk, so it scores higher.
    expect(first?.chunk.chunkId).toBe(repeated.chunkId);
    expect(first?.score).toBeGreaterThan(second?.score ?? Number.POSITIVE_INFINITY);
  });

  it('scores a heading match the same whatever the length of the body under it (BM25F)', async () => {
    const short = chunk({ ordinal: 0, headingPath: ['Refills', 'Storage'], text: 'Keep it cool.' });
    const long = chunk({
      ordinal: 1,
      headingPath: ['Refills', 'Storage'],
      text:
        'Keep it cool. '.repeat(2) + 'Rotate stock weekly and record every delivery in the inventory log. '.repeat(8),
    });
    const index = await indexOf([short, long]);
    const hits = await index.search('storage', 5, everyone);
    expect(hits).toHaveLength(2);
    expect(hits[0]?.score).toBeCloseTo(hits[1]?.score ?? 0, 9);

    // The body is still normalised by its length: the same body word counts for less in the long chunk.
    const bodyHits = await index.search('cool', 5, everyone);
    expect(ids(bodyHits)).toEqual([short.chunkId, long.chunkId]);
    expect(bodyHits[0]?.score).toBeGreaterThan(bodyHits[1]?.score ?? Number.POSITIVE_INFINITY);
  });

  it('lets the field weights decide between a heading match and a body match', async () => {
    const inHeading = chunk({ ordinal: 0, headingPath: ['Refills', 'Couriers'], text: 'Use the blue bags.' });
    const inBody = chunk({ ordinal: 1, headingPath: ['Refills', 'Bags'], text: 'Couriers use the blue bags.' });
    const byDefault = await indexOf([inHeading, inBody]);
    expect(ids(await byDefault.search('couriers', 5, everyone))).toEqual([inHeading.chunkId, inBody.chunkId]);

    const bodyFirst = new Bm25Index({ fieldWeights: { title: 0, heading: 0, leafHeading: 0, text: 1 } });
    await bodyFirst.upsert([inHeading, inBody]);
    expect(ids(await bodyFirst.search('couriers', 5, everyone))).toEqual([inBody.chunkId]);
  });

  it('finds a word written as one compound when the question splits it in two', async () => {
    const login = chunk({ ordinal: 0, headingPath: [], text: 'Reset your login from the front page.' });
    const index = new Bm25Index({ expander: null });
    await index.upsert([login]);
    expect(ids(await index.search('how do I log in', 5, everyone))).toEqual([login.chunkId]);
    // Only a compound the index holds is added: "log" + "out" is not, so nothing matches.
    expect(await index.search('log out', 5, everyone)).toEqual([]);
  });

  it('rejects parameters outside their ranges', () => {
    expect(() => new Bm25Index({ k1: -1 })).toThrow(RangeError);
    expect(() => new Bm25Index({ b: 1.5 })).toThrow(RangeError);
    expect(() => new Bm25Index({ headingB: -0.1 })).toThrow(RangeError);
    expect(() => new Bm25Index({ fieldWeights: { leafHeading: 1.5 } })).toThrow(RangeError);
    expect(() => new Bm25Index({ fieldWeights: { text: Number.NaN } })).toThrow(RangeError);
  });

  it("finds a chunk through a synonym, below a chunk that uses the asker's own word", async () => {
    const fridge = chunk({ documentId: 'kitchen', ordinal: 0, headingPath: [], text: 'Clean the fridge on Fridays.' });
    const index = await indexOf([...corpus(), fridge]);
    const hits = await index.search('fridge', 5, everyone);
    expect(ids(hits)).toEqual(['kitchen:000000000000', 'vaccines:000000000000']);

    const literalOnly = new Bm25Index({ expander: null });
    await literalOnly.upsert([...corpus(), fridge]);
    expect(ids(await literalOnly.search('fridge', 5, everyone))).toEqual(['kitchen:000000000000']);
  });

  it('scales an expanded term by the expansion weight', async () => {
    const vaccines = corpus().filter((entry) => entry.documentId === 'vaccines');
    const half = new Bm25Index({ expander: new QueryExpander(tokenize, { groups: [['fridge', 'refrigerator']] }) });
    const full = new Bm25Index({
      expander: new QueryExpander(tokenize, { groups: [['fridge', 'refrigerator']], weight: 1 }),
    });
    await half.upsert(vaccines);
    await full.upsert(vaccines);
    const [halfHit] = await half.search('fridge', 1, everyone);
    const [fullHit] = await full.search('fridge', 1, everyone);
    expect(halfHit?.score).toBeCloseTo((fullHit?.score ?? 0) * 0.5, 9);
  });

  it('returns nothing for a query of stop words or unknown words, or for no audience', async () => {
    const index = await indexOf();
    expect(await index.search('what is the', 5, everyone)).toEqual([]);
    expect(await index.search('zebra', 5, everyone)).toEqual([]);
    expect(await index.search('refills', 5, { audiences: [] })).toEqual([]);
    expect(await index.search('refills', 0, everyone)).toEqual([]);
  });

  it('returns only chunks of the requested audiences', async () => {
    const index = await indexOf();
    const publicOnly = await index.search('office open weekdays refills vaccines', 10, { audiences: ['public'] });
    expect(publicOnly.map((hit) => hit.chunk.audience)).toEqual(['public']);
    const staffOnly = await index.search('office open weekdays refills vaccines', 10, { audiences: ['staff'] });
    expect(staffOnly.length).toBe(3);
    expect(staffOnly.every((hit) => hit.chunk.audience === 'staff')).toBe(true);
  });

  it('respects the limit', async () => {
    const index = await indexOf();
    expect(await index.search('refills vaccines office', 2, everyone)).toHaveLength(2);
  });

  it('replaces every chunk of a document on upsert, so old text is no longer found', async () => {
    const index = await indexOf();
    await index.upsert([
      chunk({ documentId: 'refills', ordinal: 0, chunkId: 'refills:new', text: 'Renewals take three days.' }),
    ]);
    expect(index.size).toBe(3);
    expect(ids(await index.search('routine business', 5, everyone))).toEqual([]);
    expect(ids(await index.search('renewals', 5, everyone))).toEqual(['refills:new']);
    expect(ids(await index.search('vaccines', 5, everyone))).toEqual(['vaccines:000000000000']);
  });

  it('removes a document and leaves the others searchable', async () => {
    const index = await indexOf();
    await index.removeDocument('vaccines');
    await index.removeDocument('never-indexed');
    expect(index.size).toBe(3);
    expect(await index.search('refrigerator vaccines', 5, everyone)).toEqual([]);
    expect(ids(await index.search('controlled', 5, everyone))).toEqual(['refills:000000000001']);
  });

  it('keeps document frequencies right after removals, so scores match a fresh index', async () => {
    const churned = new Bm25Index();
    // Enough churn to pass the compaction threshold several times, with slots reused afterwards.
    for (let round = 0; round < 5; round++) {
      await churned.upsert(
        Array.from({ length: 100 }, (_, ordinal) =>
          chunk({ documentId: `temp-${round}`, ordinal, text: `refills temporary filler ${ordinal}` }),
        ),
      );
      await churned.removeDocument(`temp-${round}`);
    }
    await churned.upsert(corpus());
    const fresh = await indexOf();
    const query = 'refills vaccines office controlled';
    expect(await churned.search(query, 10, everyone)).toEqual(await fresh.search(query, 10, everyone));
  });

  it('agrees with a brute-force BM25 on random corpora', async () => {
    const vocabulary = ['nurse', 'refill', 'vaccine', 'portal', 'lab', 'fax', 'triage', 'billing'];
    const text = fc
      .array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 20 })
      .map((list) => list.join(' '));
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 25 }),
        fc.constantFrom(...vocabulary),
        async (texts, term) => {
          const chunks = texts.map((value, ordinal) =>
            chunk({ documentId: 'doc', ordinal, title: 'T', headingPath: [], text: value }),
          );
          const index = new Bm25Index({ expander: null });
          await index.upsert(chunks);
          const lengths = chunks.map((entry) => tokenize(`T ${entry.text}`).length);
          const average = lengths.reduce((sum, value) => sum + value, 0) / lengths.length;
          const frequencies = chunks.map(
            (entry) => tokenize(entry.text).filter((token) => token === stem(term)).length,
          );
          const df = frequencies.filter((value) => value > 0).length;
          const idf = Math.log(1 + (chunks.length - df + 0.5) / (df + 0.5));
          const expected = new Map(
            frequencies.flatMap((tf, position) => {
              if (tf === 0) return [];
              const norm = 1.2 * (1 - 0.75 + (0.75 * (lengths[position] ?? 0)) / average);
              return [[chunks[position]?.chunkId ?? '', (idf * tf * 2.2) / (tf + norm)] as const];
            }),
          );
          const hits = await index.search(term, 100, everyone);
          expect(hits).toHaveLength(expected.size);
          for (const found of hits) expect(found.score).toBeCloseTo(expected.get(found.chunk.chunkId) ?? -1, 9);
        },
      ),
      { numRuns: 100 },
    );
  });
});
