/** Splits a practice document (Markdown, plain text or HTML) into heading-scoped chunks of about 150–400 words. */
import { createHash } from 'node:crypto';
import type { KnowledgeChunk, KnowledgeDocumentInput } from './knowledge-document.ts';

/** A chunk grows to about this many words before the next block starts a new one. */
export const CHUNK_MAX_WORDS = 400;
/** Sections longer than the maximum are cut into parts of roughly equal size, none far below this. */
export const CHUNK_MIN_WORDS = 150;

type Block =
  | { readonly kind: 'heading'; readonly level: number; readonly text: string }
  /** `atomic`: code and tables, never split at sentences (only at lines when longer than a chunk). */
  | { readonly kind: 'paragraph'; readonly text: string; readonly atomic?: boolean }
  /** Items already rendered with their marker and indentation. */
  | { readonly kind: 'list'; readonly items: readonly string[] };

interface Section {
  readonly headingPath: readonly string[];
  readonly blocks: readonly Exclude<Block, { kind: 'heading' }>[];
}

/** A piece that is never split further when packing; `glue` joins it to the previous unit of the same block. */
interface Unit {
  readonly text: string;
  readonly words: number;
  readonly glue: ' ' | '\n' | '\n\n';
}

const WORD = /\S+/g;

function countWords(text: string): number {
  WORD.lastIndex = 0;
  let count = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}

/** Chunks a document; pure and deterministic, so unchanged text yields the same chunk ids on every ingest. */
export function chunkDocument(input: KnowledgeDocumentInput): KnowledgeChunk[] {
  const blocks =
    input.format === 'markdown'
      ? parseMarkdown(input.content)
      : input.format === 'html'
        ? parseHtml(input.content)
        : parsePlainText(input.content);
  const chunks: KnowledgeChunk[] = [];
  const seenIds = new Map<string, number>();
  for (const section of toSections(blocks)) {
    for (const text of packSection(section)) {
      const hash = createHash('sha256')
        .update(section.headingPath.join('\u001f'))
        .update('\u001e')
        .update(text)
        .digest('hex')
        .slice(0, 12);
      // The same text under the same heading twice (a repeated reminder) would collide; later copies get a suffix.
      const occurrence = (seenIds.get(hash) ?? 0) + 1;
      seenIds.set(hash, occurrence);
      chunks.push({
        chunkId: `${input.documentId}:${hash}${occurrence > 1 ? `-${occurrence}` : ''}`,
        documentId: input.documentId,
        title: input.title,
        audience: input.audience,
        version: input.version,
        headingPath: section.headingPath,
        text,
        ordinal: chunks.length,
      });
    }
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections and packing (shared by the three formats)

function toSections(blocks: readonly Block[]): Section[] {
  const sections: Section[] = [];
  const headings: { level: number; text: string }[] = [];
  let current: Exclude<Block, { kind: 'heading' }>[] = [];
  const close = () => {
    if (current.length > 0) sections.push({ headingPath: headings.map((heading) => heading.text), blocks: current });
    current = [];
  };
  for (const block of blocks) {
    if (block.kind === 'heading') {
      close();
      while ((headings.at(-1)?.level ?? 0) >= block.level) headings.pop();
      headings.push({ level: block.level, text: block.text });
    } else {
      current.push(block);
    }
  }
  close();
  return sections;
}

/** Turns a section's blocks into units (a list takes the last sentence before it as its lead-in) and packs them. */
function packSection(section: Section): string[] {
  const units: Unit[] = [];
  const { blocks } = section;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (block === undefined) continue;
    if (block.kind === 'list') {
      units.push(...listUnits(undefined, block.items));
      continue;
    }
    const next = blocks[index + 1];
    if (!block.atomic && next?.kind === 'list') {
      const sentences = splitSentences(block.text);
      const leadIn = sentences.pop();
      if (sentences.length > 0) units.push(...paragraphUnits(sentences.join(' ')));
      units.push(...listUnits(leadIn, next.items));
      index++;
      continue;
    }
    units.push(...(block.atomic ? atomicUnits(block.text) : paragraphUnits(block.text)));
  }
  return pack(units);
}

function paragraphUnits(text: string): Unit[] {
  const words = countWords(text);
  if (words === 0) return [];
  if (words <= CHUNK_MAX_WORDS) return [{ text, words, glue: '\n\n' }];
  return splitSentences(text).flatMap((sentence, position) =>
    oversized(sentence).map((piece, part) => ({
      text: piece,
      words: countWords(piece),
      glue: position === 0 && part === 0 ? '\n\n' : ' ',
    })),
  );
}

function atomicUnits(text: string): Unit[] {
  const words = countWords(text);
  if (words === 0) return [];
  if (words <= CHUNK_MAX_WORDS) return [{ text, words, glue: '\n\n' }];
  return text
    .split('\n')
    .flatMap((line) => oversized(line))
    .filter((line) => countWords(line) > 0)
    .map((line, position) => ({ text: line, words: countWords(line), glue: position === 0 ? '\n\n' : '\n' }));
}

/** A list stays whole with its lead-in; one longer than a chunk splits between items, each part repeating the lead-in. */
function listUnits(leadIn: string | undefined, items: readonly string[]): Unit[] {
  const whole = [leadIn, ...items].filter((line) => line !== undefined).join('\n');
  const words = countWords(whole);
  if (words === 0) return [];
  if (words <= CHUNK_MAX_WORDS) return [{ text: whole, words, glue: '\n\n' }];
  const leadInWords = leadIn === undefined ? 0 : countWords(leadIn);
  const repeatLeadIn = leadIn !== undefined && leadInWords <= CHUNK_MAX_WORDS / 4;
  const units: Unit[] = [];
  if (leadIn !== undefined && !repeatLeadIn) units.push(...paragraphUnits(leadIn));
  let part: string[] = [];
  let partWords = 0;
  const flush = () => {
    if (part.length === 0) return;
    const text = (repeatLeadIn ? [leadIn, ...part] : part).join('\n');
    units.push({ text, words: countWords(text), glue: '\n\n' });
    part = [];
    partWords = 0;
  };
  const budget = CHUNK_MAX_WORDS - (repeatLeadIn ? leadInWords : 0);
  for (const item of items.flatMap((line) => oversized(line, budget))) {
    const itemWords = countWords(item);
    if (partWords > 0 && partWords + itemWords > budget) flush();
    part.push(item);
    partWords += itemWords;
  }
  flush();
  return units;
}

/**
 * The last resort for one sentence (or list item, or code line) longer than a whole chunk: it is cut between
 * words, because an index entry and an embedding input must stay bounded. Real prose never reaches this.
 */
function oversized(text: string, limit = CHUNK_MAX_WORDS): string[] {
  const words = text.match(WORD) ?? [];
  if (words.length <= limit) return [text];
  const pieces: string[] = [];
  for (let start = 0; start < words.length; start += limit) pieces.push(words.slice(start, start + limit).join(' '));
  return pieces;
}

/** Packs units into chunks of at most CHUNK_MAX_WORDS, evening out part sizes so no tiny tail chunk is left. */
function pack(units: readonly Unit[]): string[] {
  const total = units.reduce((sum, unit) => sum + unit.words, 0);
  if (total === 0) return [];
  const target = total / Math.ceil(total / CHUNK_MAX_WORDS);
  const chunks: string[] = [];
  let text = '';
  let words = 0;
  let remaining = total;
  for (const unit of units) {
    if (words > 0 && words + unit.words > CHUNK_MAX_WORDS) {
      chunks.push(text);
      text = '';
      words = 0;
    }
    text = words === 0 ? unit.text : `${text}${unit.glue}${unit.text}`;
    words += unit.words;
    remaining -= unit.words;
    // Close a chunk once it reaches the even share, unless what is left would be too small to stand alone.
    if (words >= target && remaining >= Math.min(CHUNK_MIN_WORDS, target / 2)) {
      chunks.push(text);
      text = '';
      words = 0;
    }
  }
  if (words > 0) chunks.push(text);
  return chunks;
}

const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'dr',
  'mr',
  'mrs',
  'ms',
  'no',
  'nos',
  'approx',
  'min',
  'max',
  'st',
  'fig',
  'ref',
  'dept',
  'ext',
  'a.m',
  'p.m',
]);
const SENTENCE_END = /[.!?]+["'”’)\]]*\s+/g;

/** Splits prose after ., ! or ? followed by whitespace, but not after common abbreviations or single initials. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let match = SENTENCE_END.exec(text); match !== null; match = SENTENCE_END.exec(text)) {
    const end = match.index + match[0].length;
    const next = text.charAt(end);
    if (next !== '' && !/[\p{Lu}\p{N}"'“‘([*-]/u.test(next)) continue;
    const lastWord = wordBefore(text, match.index, start)
      .toLowerCase()
      .replace(/^[("'“‘[]+/, '');
    if (match[0].startsWith('.') && (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord))) continue;
    const sentence = text.slice(start, end).trim();
    if (sentence !== '') sentences.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

function wordBefore(text: string, end: number, floor: number): string {
  let begin = end;
  while (begin > floor && !/\s/.test(text.charAt(begin - 1))) begin--;
  return text.slice(begin, end);
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const MD_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const MD_FENCE = /^ {0,3}(`{3,}|~{3,})/;
const MD_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const MD_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const MD_QUOTE = /^ {0,3}>[ \t]?/;

/** Removes inline Markdown (links, images, emphasis, code spans) and keeps the words. */
function markdownInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)(.+?)(?<=\S)\*(?![\p{L}\p{N}])/gu, '$1$2')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)(.+?)(?<=\S)_(?![\p{L}\p{N}])/gu, '$1$2')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .trim();
}

function parseMarkdown(content: string): Block[] {
  const lines = content.replace(/\r\n?/g, '\n').split('\n');
  // YAML front matter (document metadata for static-site tools) is not document text.
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
    const yaml = lines.slice(1, end).every((line) => /^(?:[\w-]+:.*|\s+.*|- .*|)$/.test(line));
    if (end > 0 && yaml) lines.splice(0, end + 1);
  }
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let table = false;
  let list: { indent: number; marker: string; text: string }[] | undefined;
  let blankInList = false;

  const flushParagraph = () => {
    if (paragraph.length > 0) {
      const text = table ? paragraph.join('\n') : markdownInline(paragraph.join(' '));
      if (text !== '') blocks.push({ kind: 'paragraph', text, ...(table ? { atomic: true } : {}) });
    }
    paragraph = [];
    table = false;
  };
  const flushList = () => {
    if (list !== undefined && list.length > 0) {
      const base = Math.min(...list.map((item) => item.indent));
      blocks.push({
        kind: 'list',
        items: list.map(
          (item) =>
            `${'  '.repeat(Math.min(3, Math.floor((item.indent - base) / 2)))}${item.marker} ${markdownInline(item.text)}`,
        ),
      });
    }
    list = undefined;
    blankInList = false;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const fence = MD_FENCE.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      const closing = fence[1] ?? '```';
      for (index++; index < lines.length; index++) {
        const codeLine = lines[index] ?? '';
        if (codeLine.trimStart().startsWith(closing)) break;
        code.push(codeLine);
      }
      const text = code.join('\n').trim();
      if (text !== '') blocks.push({ kind: 'paragraph', text, atomic: true });
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      if (list !== undefined) blankInList = true;
      continue;
    }
    const heading = MD_HEADING.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      const text = markdownInline(heading[2] ?? '');
      if (text !== '') blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text });
      continue;
    }
    if (MD_BREAK.test(line)) {
      flushParagraph();
      flushList();
      continue;
    }
    const item = MD_ITEM.exec(line);
    if (item) {
      flushParagraph();
      list ??= [];
      const marker = item[2] ?? '-';
      list.push({
        indent: (item[1] ?? '').replace(/\t/g, '    ').length,
        marker: /\d/.test(marker) ? marker.replace(')', '.') : '-',
        text: item[3] ?? '',
      });
      blankInList = false;
      continue;
    }
    const last = list?.at(-1);
    // An indented line continues the item above; so does an unindented one that follows it without a blank line.
    if (last !== undefined && (/^[ \t]{2,}/.test(line) || !blankInList)) {
      last.text = `${last.text} ${line.trim()}`;
      continue;
    }
    flushList();
    const quoted = line.replace(MD_QUOTE, '');
    if (paragraph.length === 0) table = quoted.trimStart().startsWith('|');
    paragraph.push(quoted.trim());
  }
  flushParagraph();
  flushList();
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain text

const TEXT_ITEM = /^[ \t]*([-*•·–]|\d{1,3}[.)]|[a-z][.)])[ \t]+(.*)$/;
const SMALL_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'for',
  'in',
  'nor',
  'of',
  'on',
  'or',
  'per',
  'the',
  'to',
  'vs',
  'via',
  'with',
]);

/** The heading level a plain-text line implies, if any: ALL CAPS 1, Title Case 2, "ending with a colon:" 3. */
function plainHeadingLevel(line: string): number | undefined {
  const text = line.trim();
  if (text.length === 0 || text.length > 100 || TEXT_ITEM.test(text) || !/\p{L}/u.test(text)) return undefined;
  const words = text.split(/\s+/);
  if (words.length > 12) return undefined;
  if (text.endsWith(':')) return 3;
  if (/[.!?;,]$/.test(text)) return undefined;
  const lettered = words.filter((word) => /\p{L}/u.test(word));
  const titled = lettered.every((word, position) => {
    const first = word.replace(/^[^\p{L}\p{N}]+/u, '').charAt(0);
    return /[\p{Lu}\p{N}]/u.test(first) || (position > 0 && SMALL_WORDS.has(word.toLowerCase()));
  });
  if (!titled) return undefined;
  return text === text.toUpperCase() && /\p{Lu}{2}/u.test(text) ? 1 : 2;
}

function parsePlainText(content: string): Block[] {
  const paragraphs = content
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.split('\n').filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0);
  const blocks: Block[] = [];
  paragraphs.forEach((paragraphLines, position) => {
    const lines = [...paragraphLines];
    const nextStartsList = TEXT_ITEM.test(paragraphs[position + 1]?.[0] ?? '');
    // Leading heading lines; a line ending with ':' right before a list is that list's lead-in, not a heading.
    while (lines.length > 0) {
      const first = lines[0] ?? '';
      const level = plainHeadingLevel(first);
      if (level === undefined) break;
      const followedByList = lines.length > 1 ? TEXT_ITEM.test(lines[1] ?? '') : nextStartsList;
      if (level === 3 && followedByList) break;
      blocks.push({ kind: 'heading', level, text: first.trim().replace(/:$/, '').trim() });
      lines.shift();
    }
    let prose: string[] = [];
    let items: string[] = [];
    const flushProse = () => {
      if (prose.length > 0) blocks.push({ kind: 'paragraph', text: prose.join(' ') });
      prose = [];
    };
    const flushItems = () => {
      if (items.length > 0) blocks.push({ kind: 'list', items });
      items = [];
    };
    for (const line of lines) {
      const item = TEXT_ITEM.exec(line);
      if (item) {
        flushProse();
        const marker = item[1] ?? '-';
        const indent = Math.min(3, Math.floor((/^[ \t]*/.exec(line)?.[0].length ?? 0) / 2));
        items.push(
          `${'  '.repeat(indent)}${/^\d/.test(marker) ? marker.replace(')', '.') : '-'} ${(item[2] ?? '').trim()}`,
        );
      } else if (items.length > 0 && /^[ \t]/.test(line)) {
        items[items.length - 1] = `${items.at(-1) ?? ''} ${line.trim()}`;
      } else {
        flushItems();
        prose.push(line.trim());
      }
    }
    flushProse();
    flushItems();
  });
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------------
// HTML (a small tag stripper: no DOM, no dependency; enough for exported handbooks and intranet pages)

const HTML_TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
/** Elements whose content is not document text. */
const HTML_SKIPPED = new Set(['script', 'style', 'head', 'noscript', 'template', 'svg', 'iframe', 'object', 'canvas']);
const HTML_BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'html',
  'main',
  'nav',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
]);
const HTML_CELL = new Set(['td', 'th']);
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  deg: '°',
  copy: '©',
  reg: '®',
  trade: '™',
  times: '×',
  plusmn: '±',
  le: '≤',
  ge: '≥',
  micro: 'µ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});/g, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : ' ';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

function parseHtml(content: string): Block[] {
  const blocks: Block[] = [];
  let inline = '';
  let heading: number | undefined;
  let pre = 0;
  // One frame per open <ul>/<ol>: whether ordered and how many items so far.
  const lists: { ordered: boolean; count: number }[] = [];
  let items: string[] = [];
  let itemMarker: string | undefined;

  const appendText = (raw: string) => {
    const text = decodeEntities(raw);
    inline += pre > 0 ? text : text.replace(/\s+/g, ' ');
  };
  const flushInline = () => {
    const text = pre > 0 ? inline.replace(/^\n+|\s+$/g, '') : inline.replace(/\s+/g, ' ').trim();
    inline = '';
    if (text === '') return;
    if (itemMarker !== undefined || lists.length > 0) {
      const depth = Math.max(0, lists.length - 1);
      items.push(`${'  '.repeat(Math.min(3, depth))}${itemMarker ?? '-'} ${text.replace(/\s+/g, ' ')}`);
      itemMarker = undefined;
      return;
    }
    blocks.push({ kind: 'paragraph', text, ...(pre > 0 ? { atomic: true } : {}) });
  };
  const flushList = () => {
    flushInline();
    if (items.length > 0) blocks.push({ kind: 'list', items });
    items = [];
  };

  let position = 0;
  HTML_TOKEN.lastIndex = 0;
  for (let match = HTML_TOKEN.exec(content); match !== null; match = HTML_TOKEN.exec(content)) {
    appendText(content.slice(position, match.index));
    position = match.index + match[0].length;
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue; // comment, doctype, CDATA, processing instruction
    const closing = match[1] === '/';
    const selfClosing = (match[3] ?? '').trimEnd().endsWith('/');
    if (!closing && !selfClosing && HTML_SKIPPED.has(name)) {
      const end = new RegExp(`</${name}\\s*>`, 'ig');
      end.lastIndex = position;
      const found = end.exec(content);
      position = found ? found.index + found[0].length : content.length;
      HTML_TOKEN.lastIndex = position;
      continue;
    }
    if (/^h[1-6]$/.test(name)) {
      if (closing) {
        const text = inline.replace(/\s+/g, ' ').trim();
        inline = '';
        if (heading !== undefined && text !== '') blocks.push({ kind: 'heading', level: heading, text });
        heading = undefined;
      } else {
        if (lists.length > 0) flushList();
        else flushInline();
        lists.length = 0;
        heading = Number(name.charAt(1));
      }
      continue;
    }
    if (name === 'ul' || name === 'ol') {
      if (closing) {
        flushInline();
        lists.pop();
        if (lists.length === 0) flushList();
      } else {
        flushInline();
        lists.push({ ordered: name === 'ol', count: 0 });
      }
      continue;
    }
    if (name === 'li') {
      flushInline();
      if (!closing) {
        const list = lists.at(-1);
        if (list !== undefined) list.count++;
        itemMarker = list?.ordered ? `${list.count}.` : '-';
      }
      continue;
    }
    if (name === 'pre') {
      flushInline();
      pre = closing ? Math.max(0, pre - 1) : pre + 1;
      continue;
    }
    if (HTML_CELL.has(name)) {
      inline += ' ';
      continue;
    }
    if (HTML_BLOCK.has(name)) {
      // Inside a heading or a list item a block tag only separates words; items end at <li> and </ul>.
      if (name === 'br' && pre > 0) inline += '\n';
      else if (heading === undefined && lists.length === 0) flushInline();
      else inline += ' ';
    }
  }
  appendText(content.slice(position));
  flushList();
  return blocks;
}
