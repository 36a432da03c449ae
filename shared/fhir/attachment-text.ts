/** Decodes the text of FHIR attachments (base64 text/plain or text/html notes); other media are skipped, not guessed at. */
import { type Attachment, stripBase64Whitespace } from './fhir-r4-schemas.ts';

export type AttachmentText = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'skipped' };

/** A Map, not an object: an entity named like an Object.prototype member must not resolve. */
const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: ' ',
  }),
);

/**
 * Removes script/style bodies and comments in one linear pass. A lazy regex would rescan to the end for every
 * unclosed `<script` and go quadratic on a hostile 1 MiB note; an unclosed block drops the rest of the text.
 */
function dropHiddenBlocks(html: string): string {
  const lower = html.toLowerCase();
  const opener = /<!--|<(script|style)\b/g;
  let kept = '';
  let from = 0;
  for (let match = opener.exec(lower); match; match = opener.exec(lower)) {
    kept += `${html.slice(from, match.index)} `;
    const closer = match[1] ? `</${match[1]}` : '-->';
    const close = lower.indexOf(closer, match.index + match[0].length);
    if (close < 0) return kept;
    const end = match[1] ? lower.indexOf('>', close) : close + closer.length - 1;
    if (end < 0) return kept;
    from = end + 1;
    opener.lastIndex = from;
  }
  return kept + html.slice(from);
}

/** Markup to plain text: drops script/style bodies, comments and tags, and decodes common entities. */
export function htmlToText(html: string): string {
  return dropHiddenBlocks(html)
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10));
      return NAMED_ENTITIES.get(name.toLowerCase()) ?? entity;
    });
}

function safeCodePoint(codePoint: number): string {
  return Number.isInteger(codePoint) && codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : ' ';
}

/** One paragraph: every run of whitespace becomes one space. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Inline text/plain and text/html attachments decode to text; URL-only attachments (we never fetch) and other media
 * types (PDF, images) are skipped and counted by the caller. The parser has already checked base64, size and UTF-8.
 */
export function attachmentText(attachment: Attachment): AttachmentText {
  const contentType = attachment.contentType?.toLowerCase() ?? '';
  if (attachment.data === undefined) return { kind: 'skipped' };
  const isPlain = /^text\/plain\b/.test(contentType);
  const isHtml = /^text\/html\b/.test(contentType);
  if (!isPlain && !isHtml) return { kind: 'skipped' };
  const decoded = Buffer.from(stripBase64Whitespace(attachment.data), 'base64').toString('utf8');
  return { kind: 'text', text: collapseWhitespace(isHtml ? htmlToText(decoded) : decoded) };
}
