/** Reads a handbook file: `---`-delimited `key: value` lines (title, audience, owner, dates, version), then the body. */
import { ValidationFailed } from '../errors/domain-errors.ts';
import { type DocumentFormat, KnowledgeDocumentInput } from './knowledge-document.ts';

export function documentFromFile(documentId: string, format: DocumentFormat, text: string): KnowledgeDocumentInput {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  const fields: Record<string, string> = {};
  for (const line of (match?.[1] ?? '').split(/\r?\n/)) {
    const field = /^([A-Za-z]+):\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (field?.[1] && field[2] !== undefined) fields[field[1]] = field[2];
  }
  const parsed = KnowledgeDocumentInput.safeParse({
    documentId,
    title: fields.title,
    owner: fields.owner,
    audience: fields.audience,
    effectiveOn: fields.effectiveOn,
    reviewOn: fields.reviewOn,
    version: fields.version,
    format,
    content: match ? text.slice(match[0].length) : text,
  });
  if (!parsed.success) {
    throw new ValidationFailed('INVALID_DOCUMENT', 'The document front matter is incomplete or invalid', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), code: issue.code })),
    });
  }
  return parsed.data;
}
