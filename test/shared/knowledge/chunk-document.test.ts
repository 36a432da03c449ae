import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHUNK_MAX_WORDS,
  CHUNK_MIN_WORDS,
  chunkDocument,
  splitSentences,
} from '../../../shared/knowledge/chunk-document.ts';
import type { DocumentFormat } from '../../../shared/knowledge/knowledge-document.ts';
import { documentInput } from './knowledge-fakes.ts';

const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');
const chunksOf = (content: string, format: DocumentFormat = 'markdown') =>
  chunkDocument(documentInput({ content, format }));

/** A sentence of `count` words that ends with a period, distinct per `seed`. */
const sentence = (seed: number, count = 12) =>
  `${['Staff', ...Array.from({ length: count - 1 }, (_, index) => `word${seed}x${index}`)].join(' ')}.`;
const paragraph = (seed: number, sentences = 4) =>
  Array.from({ length: sentences }, (_, index) => sentence(seed * 100 + index)).join(' ');

describe('chunkDocument', () => {
  describe('Markdown', () => {
    it('gives each chunk the path of ATX headings above it, from the document root', () => {
      const chunks = chunksOf(
        [
          'Text before any heading.',
          '# Medication refills',
          'Refills go to the refill pool.',
          '## Controlled substances ##',
          'Never approved by staff.',
          '### Early refills',
          'Need the prescriber.',
          '## Turnaround',
          'Two business days.',
        ].join('\n\n'),
      );
      expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
        [[], 'Text before any heading.'],
        [['Medication refills'], 'Refills go to the refill pool.'],
        [['Medication refills', 'Controlled substances'], 'Never approved by staff.'],
        [['Medication refills', 'Controlled substances', 'Early refills'], 'Need the prescriber.'],
        [['Medication refills', 'Turnaround'], 'Two business days.'],
      ]);
      expect(chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1, 2, 3, 4]);
    });

    it('keeps a list whole together with the sentence that introduces it', () => {
      const items = Array.from({ length: 12 }, (_, index) => `- check item ${index} of the standing order criteria`);
      const content = [
        '# Criteria',
        paragraph(1, 12),
        `${sentence(2)} Before approving, confirm all of the following:`,
        items.join('\n'),
        paragraph(3, 12),
      ].join('\n\n');
      const chunks = chunksOf(content);
      const withList = chunks.filter((chunk) => chunk.text.includes('- check item'));
      expect(withList).toHaveLength(1);
      expect(withList[0]?.text).toContain(`Before approving, confirm all of the following:\n${items.join('\n')}`);
      expect(chunks.length).toBeGreaterThan(1);
    });

    it('keeps a continuation line with its item and strips inline markup', () => {
      const [only] = chunksOf(
        'Check:\n\n- the **PDMP** report\n  from the [state](https://example.org) portal\n- `A1c`',
      );
      expect(only?.text).toBe('Check:\n- the PDMP report from the state portal\n- A1c');
    });

    it('splits a long section at paragraph boundaries into parts of about 150 to 400 words', () => {
      const paragraphs = Array.from({ length: 30 }, (_, index) => paragraph(index, 4));
      const chunks = chunksOf(`# Long section\n\n${paragraphs.join('\n\n')}`);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expect(words(chunk.text).length).toBeLessThanOrEqual(CHUNK_MAX_WORDS);
        expect(words(chunk.text).length).toBeGreaterThanOrEqual(CHUNK_MIN_WORDS);
        for (const part of chunk.text.split('\n\n')) expect(paragraphs).toContain(part);
      }
      expect(chunks.map((chunk) => chunk.text).join('\n\n')).toBe(paragraphs.join('\n\n'));
    });

    it('splits a paragraph longer than a chunk between sentences, never inside one', () => {
      const long = Array.from({ length: 60 }, (_, index) => sentence(index, 15)).join(' ');
      const chunks = chunksOf(long);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expect(chunk.text).toMatch(/^Staff .*\.$/s);
        expect(words(chunk.text).length).toBeLessThanOrEqual(CHUNK_MAX_WORDS);
      }
    });

    it('keeps a table or a fenced code block as one piece with its line breaks', () => {
      const table = '| Request | Standard |\n| --- | --- |\n| Routine | Two days |';
      const [first, second] = chunksOf(`# Standards\n\n${table}\n\n\`\`\`\nline one\nline two\n\`\`\``).map(
        (chunk) => chunk.text,
      );
      expect(first).toBe(`${table}\n\nline one\nline two`);
      expect(second).toBeUndefined();
    });

    it('ignores YAML front matter', () => {
      const [only] = chunksOf('---\ntitle: Refills\naudience: staff\n---\n# Refills\n\nBody text.');
      expect(only).toMatchObject({ headingPath: ['Refills'], text: 'Body text.' });
    });
  });

  describe('chunk ids', () => {
    const content = ['# A', paragraph(1), '# B', paragraph(2), '# C', paragraph(3)].join('\n\n');

    it('are the document id and 12 hex characters, the same on every ingest of unchanged text', () => {
      const first = chunksOf(content);
      const again = chunksOf(content);
      expect(first.map((chunk) => chunk.chunkId)).toEqual(again.map((chunk) => chunk.chunkId));
      for (const chunk of first) expect(chunk.chunkId).toMatch(/^refill-protocol:[0-9a-f]{12}$/);
    });

    it('change only for the chunks whose text or heading changed', () => {
      const before = chunksOf(content).map((chunk) => chunk.chunkId);
      const edited = chunksOf(content.replace(paragraph(2), `${paragraph(2)} One more sentence.`)).map(
        (chunk) => chunk.chunkId,
      );
      const renamed = chunksOf(content.replace('# C', '# C renamed')).map((chunk) => chunk.chunkId);
      expect([edited[0], edited[2]]).toEqual([before[0], before[2]]);
      expect(edited[1]).not.toBe(before[1]);
      expect(renamed.slice(0, 2)).toEqual(before.slice(0, 2));
      expect(renamed[2]).not.toBe(before[2]);
    });

    it('stay unique when the same text repeats under the same heading', () => {
      const repeated = Array.from({ length: 3 }, () => paragraph(7, 30)).join('\n\n');
      const ids = chunksOf(`# Reminders\n\n${repeated}`).map((chunk) => chunk.chunkId);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(3);
    });

    it('carry the document metadata on every chunk', () => {
      const [only] = chunkDocument(
        documentInput({ documentId: 'faq', title: 'FAQ', audience: 'public', version: '3', content: 'Hours.' }),
      );
      expect(only).toMatchObject({ documentId: 'faq', title: 'FAQ', audience: 'public', version: '3' });
    });
  });

  describe('plain text', () => {
    it('treats ALL CAPS, Title Case and colon-ended lines as nested headings and blank lines as paragraph breaks', () => {
      const chunks = chunksOf(
        [
          'HAND HYGIENE POLICY',
          'Scope and Purpose\nThis policy covers all staff.\nIt applies in every room.',
          'Exceptions:',
          'None apply during clinic hours.',
          'Glove Use',
          'Gloves do not replace hand hygiene.',
        ].join('\n\n'),
        'text',
      );
      expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
        [['HAND HYGIENE POLICY', 'Scope and Purpose'], 'This policy covers all staff. It applies in every room.'],
        [['HAND HYGIENE POLICY', 'Scope and Purpose', 'Exceptions'], 'None apply during clinic hours.'],
        [['HAND HYGIENE POLICY', 'Glove Use'], 'Gloves do not replace hand hygiene.'],
      ]);
    });

    it('reads a line ending with a colon right before a list as that list’s lead-in, not a heading', () => {
      const chunks = chunksOf(
        'Room Turnover\n\nBefore the next patient, staff must:\n\n- wipe the table\n- change the paper',
        'text',
      );
      expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
        [['Room Turnover'], 'Before the next patient, staff must:\n- wipe the table\n- change the paper'],
      ]);
    });
  });

  describe('HTML', () => {
    it('drops scripts, styles and tags, uses h1-h6 as headings and li as list items', () => {
      const html = `<!doctype html><html><head><title>Ignored</title><style>p { color: red }</style></head>
        <body><h1>Vaccines</h1><script>var secret = "<p>not text</p>";</script>
        <p>Store vaccines cold &amp; dark. Check the log:</p>
        <ul><li>Morning <b>temperature</b></li><li>Evening temperature<ul><li>min &lt; 2&deg;C</li></ul></li></ul>
        <!-- a comment --><h2 class="x">Cold chain</h2><p>Keep at 2&ndash;8&#176;C &#x2014; always.</p></body></html>`;
      const chunks = chunksOf(html, 'html');
      expect(chunks.map((chunk) => [chunk.headingPath, chunk.text])).toEqual([
        [
          ['Vaccines'],
          'Store vaccines cold & dark.\n\nCheck the log:\n- Morning temperature\n- Evening temperature\n  - min < 2°C',
        ],
        [['Vaccines', 'Cold chain'], 'Keep at 2–8°C — always.'],
      ]);
      expect(chunks.map((chunk) => chunk.text).join(' ')).not.toMatch(/secret|color|Ignored|comment/);
    });

    it('numbers ordered list items and tolerates unclosed tags and attributes with ">" inside quotes', () => {
      const [only] = chunksOf('<h3 title="a > b">Steps</h3><ol><li>Call<li>Document</ol><p>Done', 'html');
      expect(only).toMatchObject({ headingPath: ['Steps'], text: '1. Call\n2. Document\n\nDone' });
    });
  });

  describe('properties', () => {
    const prose = fc.array(
      fc.array(
        fc.array(fc.constantFrom('refill', 'nurse', 'pool', 'within', 'two', 'days', 'vaccine', 'log'), {
          minLength: 1,
          maxLength: 30,
        }),
        { minLength: 1, maxLength: 40 },
      ),
      { minLength: 1, maxLength: 12 },
    );

    it('keeps every word, in order, in chunks of at most 400 words that end at a sentence end', () => {
      fc.assert(
        fc.property(prose, (paragraphs) => {
          const content = paragraphs
            .map((sentences) => sentences.map((sentenceWords) => `${sentenceWords.join(' ')}.`).join(' '))
            .join('\n\n');
          const chunks = chunksOf(content, 'text');
          expect(chunks.flatMap((chunk) => words(chunk.text))).toEqual(words(content));
          for (const chunk of chunks) {
            expect(words(chunk.text).length).toBeLessThanOrEqual(CHUNK_MAX_WORDS);
            expect(chunk.text.endsWith('.')).toBe(true);
          }
        }),
        { numRuns: 150 },
      );
    });

    it('never throws and yields unique ids and consecutive ordinals for any input in any format', () => {
      fc.assert(
        fc.property(
          fc.string({ maxLength: 400 }),
          fc.constantFrom<DocumentFormat>('markdown', 'text', 'html'),
          (content, format) => {
            const chunks = chunksOf(content, format);
            expect(new Set(chunks.map((chunk) => chunk.chunkId)).size).toBe(chunks.length);
            expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
            for (const chunk of chunks) expect(chunk.text.trim()).not.toBe('');
          },
        ),
        { numRuns: 300 },
      );
    });

    it('chunks a 1 MB document in well under a second', () => {
      const sections = Array.from({ length: 500 }, (_, index) => `## Section ${index}\n\n${paragraph(index, 20)}`);
      const content = sections.join('\n\n').slice(0, 1_000_000);
      expect(content.length).toBe(1_000_000);
      const started = performance.now();
      const chunks = chunksOf(content);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(chunks.length).toBe(content.match(/^## Section/gm)?.length);
    });
  });
});

describe('splitSentences', () => {
  it('splits after terminal punctuation but not after abbreviations or initials', () => {
    expect(splitSentences('Call the lab, e.g. Quest. Then document it! Was it done? Dr. Who. J. Doe signs.')).toEqual([
      'Call the lab, e.g. Quest.',
      'Then document it!',
      'Was it done?',
      'Dr. Who.',
      'J. Doe signs.',
    ]);
  });

  it('does not split before a lower-case word, as in "approx. two days"', () => {
    expect(splitSentences('It takes 2 days. approx. two. Next one.')).toEqual([
      'It takes 2 days. approx. two.',
      'Next one.',
    ]);
  });
});
