import { describe, expect, it } from 'vitest';
import { parseSectionedReply, renderSections } from '../../../../shared/drafts/use-cases/draft-output.ts';

const HEADINGS = ['Subjective', 'Objective', 'Assessment', 'Plan'];
const SOURCES = new Set(['segment/e1-1', 'segment/e1-2', 'request/notes']);

const reply = (sections: unknown) => JSON.stringify({ sections });
const complete = (statements: Record<string, { text: string; evidence: string[] }[]> = {}) =>
  HEADINGS.map((heading) => ({ heading, statements: statements[heading] ?? [] }));

describe('parseSectionedReply', () => {
  it('accepts a reply with every fixed heading and keeps evidence that names a source', () => {
    const parsed = parseSectionedReply(
      reply(
        complete({
          Subjective: [{ text: 'Reports cough for two days.', evidence: ['segment/e1-1'] }],
          Plan: [{ text: 'Recheck in one week.', evidence: ['segment/e1-2', 'request/notes'] }],
        }),
      ),
      HEADINGS,
      SOURCES,
    );

    expect(parsed).toEqual({
      ok: true,
      content: {
        sections: [
          { heading: 'Subjective', statements: [{ text: 'Reports cough for two days.', evidence: ['segment/e1-1'] }] },
          { heading: 'Objective', statements: [] },
          { heading: 'Assessment', statements: [] },
          {
            heading: 'Plan',
            statements: [{ text: 'Recheck in one week.', evidence: ['segment/e1-2', 'request/notes'] }],
          },
        ],
        unsupportedStatements: 0,
      },
    });
  });

  it('reads the JSON inside a ```json fence and after a label line', () => {
    const body = reply(complete({ Objective: [{ text: 'BP 150/90.', evidence: ['request/notes'] }] }));
    for (const text of [
      `\`\`\`json\n${body}\n\`\`\``,
      `[OFFLINE MODEL]\n${body}`,
      `Here it is:\n\`\`\`\n${body}\n\`\`\`\nDone.`,
    ]) {
      const parsed = parseSectionedReply(text, HEADINGS, SOURCES);
      expect(parsed.ok && parsed.content.sections[1]?.statements[0]?.text).toBe('BP 150/90.');
    }
  });

  it('drops evidence ids that are not sources and counts statements left without evidence', () => {
    const parsed = parseSectionedReply(
      reply(
        complete({
          Assessment: [
            { text: 'Likely viral bronchitis.', evidence: ['Condition/invented'] },
            { text: 'No red flags.', evidence: [] },
            { text: 'Cough improving.', evidence: ['[segment/e1-1]', 'source: segment/e1-2', 'segment/e1-1'] },
          ],
        }),
      ),
      HEADINGS,
      SOURCES,
    );

    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.content.sections[2]?.statements).toEqual([
      { text: 'Likely viral bronchitis.', evidence: [] },
      { text: 'No red flags.', evidence: [] },
      { text: 'Cough improving.', evidence: ['segment/e1-1', 'segment/e1-2'] },
    ]);
    expect(parsed.content.unsupportedStatements).toBe(2);
  });

  it('matches headings regardless of case and spacing and returns them in the fixed order and spelling', () => {
    const shuffled = [
      { heading: 'plan', statements: [] },
      { heading: ' OBJECTIVE ', statements: [] },
      { heading: 'Subjective', statements: [] },
      { heading: 'assessment', statements: [] },
    ];
    const parsed = parseSectionedReply(reply(shuffled), HEADINGS, SOURCES);
    expect(parsed.ok && parsed.content.sections.map((section) => section.heading)).toEqual(HEADINGS);
  });

  it.each([
    ['no JSON at all', 'I cannot help with that.', 'no JSON object'],
    ['broken JSON', '{"sections": [', 'no JSON object'],
    ['invalid JSON', '{"sections": [}', 'not valid JSON'],
    ['the wrong shape', JSON.stringify({ subjective: ['a'] }), 'schema at sections'],
    [
      'a statement without text',
      reply([{ heading: 'Subjective', statements: [{ evidence: [] }] }]),
      'schema at sections.0',
    ],
    ['a missing heading', reply(complete().slice(0, 3)), 'lacks the headings: Plan'],
    [
      'an extra heading',
      reply([...complete(), { heading: 'Billing', statements: [] }]),
      'heading this draft does not use',
    ],
    ['a repeated heading', reply([...complete(), { heading: 'Plan', statements: [] }]), 'repeats a heading'],
  ])('rejects %s with a problem that never echoes the reply', (_case, text, problem) => {
    const parsed = parseSectionedReply(text, HEADINGS, SOURCES);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toContain(problem);
    expect(parsed.problem).not.toContain('help with that');
  });
});

describe('renderSections', () => {
  it('writes each heading with its statements, evidence markers and a count of unsupported statements', () => {
    const text = renderSections(
      {
        sections: [
          {
            heading: 'Subjective',
            statements: [
              { text: 'Reports cough.', evidence: ['segment/e1-1', 'request/notes'] },
              { text: 'Feels tired.', evidence: [] },
            ],
          },
          { heading: 'Plan', statements: [] },
        ],
        unsupportedStatements: 1,
      },
      { preamble: ['TOP'], closing: ['BOTTOM'] },
    );

    expect(text).toBe(
      [
        'TOP',
        'Subjective\n- Reports cough. [evidence: segment/e1-1, request/notes]\n- Feels tired. [no evidence]',
        'Plan\n- Not documented.',
        '1 statement without evidence: check it against the record before approving.',
        'BOTTOM',
      ].join('\n\n'),
    );
  });
});
