import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  evaluate,
  isCorrectHit,
  loadHandbook,
  MEASURING_SETS,
  QUESTION_SETS,
  rankOfFirstCorrect,
  summarize,
} from '../../../bench/knowledge/retrieval-quality.ts';
import { chunkDocument } from '../../../shared/knowledge/chunk-document.ts';
import { chunk, hit } from '../../shared/knowledge/knowledge-fakes.ts';

const expected = { document: 'refills', headingPath: ['Refills', 'Controlled substances'] };

describe('isCorrectHit', () => {
  it('needs the expected document and a heading path that starts with the expected one', () => {
    const at = (documentId: string, headingPath: string[]) =>
      isCorrectHit(chunk({ documentId, headingPath }), expected);
    expect(at('refills', ['Refills', 'Controlled substances'])).toBe(true);
    expect(at('refills', ['Refills', 'Controlled substances', 'Early refills'])).toBe(true);
    expect(at('refills', ['Refills'])).toBe(false);
    expect(at('refills', ['Refills', 'Turnaround'])).toBe(false);
    expect(at('vaccines', ['Refills', 'Controlled substances'])).toBe(false);
  });
});

describe('rankOfFirstCorrect and summarize', () => {
  const wrong = hit(chunk({ documentId: 'vaccines' }));
  const right = hit(chunk({ documentId: 'refills', headingPath: ['Refills', 'Controlled substances'] }));

  it('finds the first correct hit within the top 5 only', () => {
    expect(rankOfFirstCorrect([right], expected)).toBe(1);
    expect(rankOfFirstCorrect([wrong, wrong, right, right], expected)).toBe(3);
    expect(rankOfFirstCorrect([wrong, wrong, wrong, wrong, wrong, right], expected)).toBeNull();
    expect(rankOfFirstCorrect([], expected)).toBeNull();
  });

  it('computes recall@1, recall@5 and MRR@5', () => {
    expect(summarize([{ rank: 1 }, { rank: 2 }, { rank: null }, { rank: 4 }])).toEqual({
      questions: 4,
      recallAt1: 0.25,
      recallAt5: 0.75,
      mrrAt5: (1 + 1 / 2 + 1 / 4) / 4,
    });
    expect(summarize([]).recallAt1).toBeNaN();
  });
});

describe('loadHandbook and evaluate', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const handbookAt = async (questions: unknown) => {
    dir = await mkdtemp(join(tmpdir(), 'handbook-'));
    const folder = join(dir, 'docs/examples/knowledge');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    const front = (title: string, audience: string) =>
      `---\ntitle: ${title}\naudience: ${audience}\nowner: manager\neffectiveOn: 2026-01-01\nreviewOn: 2027-01-01\nversion: 1\n---\n`;
    await writeFile(
      join(folder, 'refills.md'),
      `${front('Refills', 'staff')}# Refills\n\nRoutine refills take two business days.\n\n## Controlled substances\n\nNever approved by staff; the prescriber decides on opioid refills.\n`,
    );
    await writeFile(
      join(folder, 'hours.md'),
      `${front('Office hours', 'public')}# Office hours\n\nWe open at eight on weekdays.\n`,
    );
    if (questions !== undefined) await writeFile(join(folder, 'questions.json'), JSON.stringify(questions));
    return dir;
  };

  it('skips with a notice when the question set is missing or malformed', async () => {
    expect(await loadHandbook(await handbookAt(undefined))).toEqual({
      notice: 'docs/examples/knowledge/questions.json is not there yet',
    });
    await rm(dir ?? '', { recursive: true, force: true });
    expect(await loadHandbook(await handbookAt([{ question: 'x' }]))).toMatchObject({
      notice: expect.stringContaining('does not match'),
    });
  });

  it('lets the vector side of the hybrid mode see the questions (they hold no PHI), so the two modes can differ', async () => {
    // "prescr" is no index term (the handbook says "prescriber"), but it shares character 4-grams with it.
    const handbook = await loadHandbook(
      await handbookAt([
        { question: 'prescr', document: 'refills', headingPath: ['Refills', 'Controlled substances'] },
      ]),
    );
    if ('notice' in handbook) throw new Error(handbook.notice);
    expect((await evaluate(handbook, 'lexical')).outcomes[0]?.rank).toBeNull();
    expect((await evaluate(handbook, 'hybrid-simulated')).outcomes[0]?.rank).toBe(1);
  });

  it('scores answerable questions and keeps unanswerable ones out of recall', async () => {
    const handbook = await loadHandbook(
      await handbookAt([
        {
          question: 'Who decides on opioid refills?',
          document: 'refills',
          headingPath: ['Refills', 'Controlled substances'],
        },
        { question: 'When do you open?', document: 'hours', headingPath: ['Office hours'], audience: 'public' },
        {
          question: 'When do you open for refills?',
          document: 'refills',
          headingPath: ['Refills'],
          audience: 'public',
        },
        { question: 'Do you offer acupuncture?', document: null, headingPath: [], audience: 'public' },
      ]),
    );
    if ('notice' in handbook) throw new Error(handbook.notice);
    const result = await evaluate(handbook, 'lexical');
    expect(result.retriever).toBe('bm25 (lexical only)');
    expect(result.outcomes.map((outcome) => outcome.rank)).toEqual([1, 1, null, null]);
    expect(result.scores).toEqual({ questions: 3, recallAt1: 2 / 3, recallAt5: 2 / 3, mrrAt5: 2 / 3 });
    expect(result.outcomes[3]?.topScore).toBe(0);
    expect((await evaluate(handbook, 'hybrid-simulated')).simulated).toBe(true);
  });
});

describe('the shipped question sets', () => {
  it('are four separate files, and the two never used for tuning keep their misses unprinted', () => {
    const sets = Object.values(QUESTION_SETS);
    expect(new Set(sets.map((set) => set.file)).size).toBe(4);
    expect(sets.filter((set) => !set.listMisses).map((set) => set.file)).toEqual([
      'questions-fresh.json',
      'questions-unseen.json',
    ]);
    expect(MEASURING_SETS.map((name) => QUESTION_SETS[name].listMisses)).toEqual([false, false]);
  });

  it('each have 40+ answerable questions whose expected section exists in the chunked handbook', async () => {
    for (const set of Object.values(QUESTION_SETS)) {
      const handbook = await loadHandbook(process.cwd(), set.file);
      if ('notice' in handbook) throw new Error(handbook.notice);
      const sections = handbook.documents.flatMap((document) => chunkDocument(document));
      const answerable = handbook.questions.filter((question) => question.document !== null);
      expect(answerable.length, set.file).toBeGreaterThanOrEqual(40);
      for (const question of answerable) {
        const { document } = question;
        if (document === null) continue;
        const found = sections.some((section) =>
          isCorrectHit(section, { document, headingPath: question.headingPath }),
        );
        expect(found, `${set.file}: ${question.headingPath.join(' > ')}`).toBe(true);
        // The audience of the question is the audience of its document (a public question must reach a public one).
        expect(sections.find((section) => section.documentId === document)?.audience, question.question).toBe(
          question.audience,
        );
      }
    }
  });
});
