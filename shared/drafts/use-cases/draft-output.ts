/**
 * The reply format every draft use case shares: fixed sections of statements, each citing source ids. Parses a
 * model's reply strictly (fixed headings, known evidence only) and renders it for the reviewer with evidence markers.
 */
import { z } from 'zod';
import type { DraftContent, DraftSection, ParsedDraftOutput, Statement } from './draft-use-cases.ts';

// Long enough for any sensible statement, short enough that a runaway reply cannot become one huge "statement".
const MAX_STATEMENT_CHARS = 4_000;
const MAX_STATEMENTS_PER_SECTION = 200;

const ReplyStatement = z.object({
  text: z.string().max(MAX_STATEMENT_CHARS),
  evidence: z.array(z.string().max(300)).max(50).default([]),
});
const ReplySection = z.object({
  heading: z.string().max(200),
  statements: z.array(ReplyStatement).max(MAX_STATEMENTS_PER_SECTION),
});
export const DraftReply = z.object({ sections: z.array(ReplySection).max(20) });

const FENCED = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/;

/** The JSON object in a reply: inside its first ``` fence when there is one, else from the first `{` to the last `}`. */
function jsonPart(replyText: string): string | undefined {
  const fenced = FENCED.exec(replyText)?.[1];
  const candidate = fenced ?? replyText;
  const begin = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  return begin >= 0 && end > begin ? candidate.slice(begin, end + 1) : undefined;
}

function headingKey(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Models cite in many spellings (`[Condition/a1]`, `source: Condition/a1`); only the bare id is compared, and only
 * ids of this draft's sources survive.
 */
function normaliseEvidence(raw: string): string {
  return raw
    .trim()
    .replace(/^[[(<"'`]+|[\])>"'`]+$/g, '')
    .replace(/^source\s*:\s*/i, '')
    .trim();
}

/** Parses a reply against the fixed headings; evidence ids outside `sourceIds` are dropped and counted. */
export function parseSectionedReply(
  replyText: string,
  headings: readonly string[],
  sourceIds: ReadonlySet<string>,
): ParsedDraftOutput {
  const json = jsonPart(replyText);
  if (json === undefined) return { ok: false, problem: 'The reply holds no JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'The reply is not valid JSON' };
  }
  const reply = DraftReply.safeParse(value);
  if (!reply.success) {
    // Paths only (e.g. sections.0.statements.2.text): never the content.
    const path = reply.error.issues[0]?.path.map(String).join('.') || '(root)';
    return { ok: false, problem: `The reply does not match the draft schema at ${path}` };
  }

  const byKey = new Map<string, (typeof reply.data.sections)[number]>();
  const expected = new Map(headings.map((heading) => [headingKey(heading), heading]));
  for (const section of reply.data.sections) {
    const key = headingKey(section.heading);
    if (!expected.has(key)) return { ok: false, problem: 'The reply has a heading this draft does not use' };
    if (byKey.has(key)) return { ok: false, problem: 'The reply repeats a heading' };
    byKey.set(key, section);
  }
  const missing = headings.filter((heading) => !byKey.has(headingKey(heading)));
  if (missing.length > 0) return { ok: false, problem: `The reply lacks the headings: ${missing.join(', ')}` };

  let unsupportedStatements = 0;
  const sections: DraftSection[] = headings.map((heading) => {
    const statements: Statement[] = [];
    for (const statement of byKey.get(headingKey(heading))?.statements ?? []) {
      const text = statement.text.trim();
      if (text === '') continue;
      const evidence = [...new Set(statement.evidence.map(normaliseEvidence))].filter((id) => sourceIds.has(id));
      if (evidence.length === 0) unsupportedStatements += 1;
      statements.push({ text, evidence });
    }
    return { heading, statements };
  });
  return { ok: true, content: { sections, unsupportedStatements } };
}

export function evidenceMarker(evidence: readonly string[]): string {
  return evidence.length > 0 ? `[evidence: ${evidence.join(', ')}]` : '[no evidence]';
}

export interface RenderOptions {
  /** Lines before the sections (e.g. a template's placeholders). */
  readonly preamble?: readonly string[];
  /** Lines after the sections (e.g. the coder's decision notice). */
  readonly closing?: readonly string[];
}

/** Readable text: each heading, its statements as bullets with evidence markers, and a count of unsupported ones. */
export function renderSections(content: DraftContent, options: RenderOptions = {}): string {
  const blocks: string[] = [];
  if (options.preamble && options.preamble.length > 0) blocks.push(options.preamble.join('\n'));
  for (const section of content.sections) {
    const lines =
      section.statements.length === 0
        ? ['- Not documented.']
        : section.statements.map((statement) => `- ${statement.text} ${evidenceMarker(statement.evidence)}`);
    blocks.push(`${section.heading}\n${lines.join('\n')}`);
  }
  if (content.unsupportedStatements > 0) {
    const count = content.unsupportedStatements;
    blocks.push(
      `${count} statement${count === 1 ? '' : 's'} without evidence: check ${count === 1 ? 'it' : 'them'} against the record before approving.`,
    );
  }
  if (options.closing && options.closing.length > 0) blocks.push(options.closing.join('\n'));
  return blocks.join('\n\n');
}
