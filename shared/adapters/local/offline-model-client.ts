/** ModelClient without a model: deterministic extractive structuring of the de-identified input, for local development. */
import { HEADING_SEPARATOR, SECTIONS_LINE_PREFIX } from '../../ai/prompts/sectioned-prompt.ts';
import { log } from '../../observability/telemetry.ts';
import { findTokens } from '../../phi/vault-token.ts';
import { ModelCallFailed, type ModelClient, type ModelReply, type ModelRequest } from '../../ports/model-client.ts';

const CLIENT_NAME = 'offline';
export const OFFLINE_MODEL_LABEL = '[OFFLINE MODEL — not a real model; extractive output for local development]';
const CHARACTERS_PER_TOKEN = 4;
const STREAM_CHUNKS = 4;

// The line our prompt templates end with when they want JSON (see `shared/ai/prompts/`).
const JSON_KEYS_LINE = /^\s*Respond with JSON with the keys:\s*(.+?)\s*$/im;
// The line sectioned prompts end with (`shared/ai/prompts/sectioned-prompt.ts`): draft headings, `|`-separated.
const SECTIONS_LINE = new RegExp(`^\\s*${escapeRegExp(SECTIONS_LINE_PREFIX)}\\s*(.+?)\\s*$`, 'im');
const SOURCE_CATEGORY = /\bcategory="([^"]*)"/;
// Framing written by the prompt template around the sources: not content, so not restated.
const SOURCE_OPEN = /^\s*<source\b[^>]*\bid="([^"]*)"[^>]*>\s*$/;
const SOURCE_CLOSE = /^\s*<\/source>\s*$/;
const FRAMING_HEADING = /^\s*[A-Za-z][A-Za-z' ]{0,40}:\s*$/;
const LIST_MARKER = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;
// A sentence ends at . ! or ? followed by space and something that can start a sentence (a token starts with `[`).
// A sentence ends at . ! or ? before a capital, digit or token, but not after a title such as "Mr." or "Dr.".
const SENTENCE_BREAK = /(?<!\b(?:Mr|Mrs|Ms|Dr|Drs|St|Jr|Sr|Pt|Prof)\.)(?<=[.!?])\s+(?=[A-Z0-9[("'])/;

/**
 * Words a sentence must mention to be filed under a key or section, by the words in the key's name (`recentResults`
 * uses the cues of `recent` and `results`). A key's own words are always cues too.
 */
const CUES: Readonly<Record<string, readonly string[]>> = {
  subjective: ['reports', 'reported', 'complains', 'states', 'denies', 'feels', 'symptom', 'symptoms', 'since'],
  history: ['history', 'hx', 'previous', 'prior', 'reports', 'reported', 'complains', 'denies', 'since', 'ago'],
  objective: ['exam', 'examination', 'vitals', 'bp', 'blood pressure', 'pulse', 'heart rate', 'temperature', 'spo2'],
  findings: ['exam', 'examination', 'vitals', 'bp', 'blood pressure', 'pulse', 'heart rate', 'temperature', 'result'],
  assessment: ['diagnosis', 'diagnosed', 'likely', 'consistent with', 'impression', 'suspected', 'differential'],
  plan: ['start', 'continue', 'stop', 'increase', 'decrease', 'follow up', 'follow-up', 'return', 'refer', 'recheck'],
  problems: ['problem', 'diagnosis', 'history of', 'chronic', 'hypertension', 'diabetes', 'asthma', 'disease'],
  medications: [
    'medication',
    'mg',
    'mcg',
    'tablet',
    'daily',
    'twice',
    'bid',
    'tid',
    'prn',
    'dose',
    'taking',
    'insulin',
  ],
  allergies: ['allergy', 'allergic', 'nkda', 'anaphylaxis', 'hives', 'intolerance', 'reaction'],
  results: ['result', 'lab', 'labs', 'a1c', 'level', 'test', 'x-ray', 'ct', 'mri', 'ecg', 'ekg', 'ultrasound', 'cbc'],
  items: ['pending', 'follow up', 'follow-up', 'due', 'overdue', 'outstanding', 'ordered', 'awaiting', 'referral'],
  codes: ['cpt', 'icd', 'icd-10', 'icd-10-cm', 'code', 'billed', 'modifier'],
  supported: ['documented', 'supports', 'supported'],
  unsupported: ['not documented', 'unsupported', 'no documentation'],
  undercoding: ['undercoded', 'undercoding', 'additional', 'complexity'],
  gaps: ['missing', 'not documented', 'unclear', 'absent', 'incomplete'],
};

/**
 * Extra cue words for the draft headings' words (`Problem list` uses the cues of `problem`), besides those above.
 * A source's category is scored with its sentences, so a `labs` source leans to results and `medications` to
 * medications.
 */
const SECTION_CUES: Readonly<Record<string, readonly string[]>> = {
  problem: ['condition', 'diagnosis', 'diagnosed', 'history of', 'chronic', 'active', 'hypertension', 'diabetes'],
  medications: ['medication', 'mg', 'mcg', 'tablet', 'daily', 'twice', 'prn', 'dose', 'taking', 'prescribed'],
  allergies: ['allergy', 'allergic', 'nkda', 'anaphylaxis', 'hives', 'intolerance', 'reaction'],
  results: ['result', 'lab', 'labs', 'a1c', 'level', 'test', 'observation', 'x-ray', 'mri', 'ecg', 'ekg', 'cbc'],
  open: ['pending', 'due', 'overdue', 'outstanding', 'ordered', 'awaiting', 'scheduled', 'planned', 'goal', 'recheck'],
  items: ['call back', 'follow up', 'follow-up', 'return', 'referral', 'care plan'],
  requested: ['request', 'requesting', 'authorization', 'approve', 'approval', 'coverage', 'overturn', 'reconsider'],
  service: ['procedure', 'surgery', 'mri', 'ct', 'therapy', 'injection', 'device', 'service'],
  clinical: ['diagnosed', 'diagnosis', 'history', 'symptoms', 'condition', 'exam', 'findings'],
  prior: ['tried', 'failed', 'previous', 'previously', 'prior', 'trial', 'despite', 'weeks of', 'months of'],
  treatments: ['therapy', 'physical therapy', 'medication', 'injection', 'treated'],
  necessity: ['necessary', 'necessity', 'indicated', 'because', 'due to', 'risk'],
  payer: ['payer', 'plan', 'insurer', 'policy', 'criteria', 'reference'],
  requirements: ['require', 'requires', 'required', 'must', 'criteria', 'documentation', 'reference'],
  denied: ['denied', 'denial', 'not covered'],
  denial: ['denied', 'denial', 'not medically necessary', 'not covered'],
  evidence: ['evidence', 'documented', 'shows', 'showed', 'result', 'exam', 'findings'],
  policy: ['policy', 'coverage', 'criteria', 'reference'],
  guidelines: ['guideline', 'guidelines', 'recommend', 'recommends', 'reference'],
  action: ['request', 'overturn', 'reconsider', 'approve', 'please'],
  referral: ['refer', 'referral', 'referred', 'evaluate', 'evaluation', 'consult', 'consultation'],
  pertinent: ['history', 'hx', 'previous', 'prior', 'diagnosed', 'chronic'],
  question: ['question', 'please', 'advise', 'recommend', 'recommendation', 'opinion', 'whether'],
  consultant: ['consultant', 'specialist', 'evaluate', 'management'],
  do: ['take', 'keep', 'use', 'apply', 'drink', 'rest', 'walk', 'change', 'wash', 'should', 'may'],
  avoid: ['avoid', 'do not', "don't", 'stop', 'never', 'limit', 'no'],
  warning: ['call', 'emergency', '911', 'fever', 'bleeding', 'worse', 'severe', 'swelling', 'redness', 'sudden'],
  signs: ['sign', 'signs', 'symptom', 'symptoms'],
  follow: ['follow up', 'follow-up', 'appointment', 'return', 'visit', 'schedule', 'recheck'],
};

// Text replies are filed under these headings, in this order; sentences matching none go under the last.
const TEXT_SECTIONS = ['History', 'Findings', 'Medications', 'Allergies', 'Assessment', 'Plan'] as const;
const UNFILED_SECTION = 'Notes';

export interface OfflineModelClientOptions {
  /** Injected for tests, in monotonic milliseconds. */
  readonly now?: () => number;
}

interface Sentence {
  readonly text: string;
  readonly sourceId: string | undefined;
  readonly category?: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** `recentResults`, `recent_results`, `recent-results` and `Recent results` all give `recent`, `results`. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whole-word patterns for a key: its words, their singulars, and the cues of each. */
function cuePatterns(key: string): RegExp[] {
  const cues = new Set<string>();
  for (const word of wordsOf(key)) {
    for (const form of [word, singular(word)]) {
      cues.add(form);
      for (const cue of CUES[form] ?? []) cues.add(cue);
    }
  }
  return [...cues].map((cue) => new RegExp(`(?<![a-z0-9])${escapeRegExp(cue)}(?![a-z0-9])`));
}

/** Whole-word patterns for a draft heading: its words, their singulars, and their cues in both tables. */
function sectionCuePatterns(heading: string): RegExp[] {
  const cues = new Set<string>();
  for (const word of wordsOf(heading)) {
    for (const form of [word, singular(word)]) {
      cues.add(form);
      for (const cue of [...(CUES[form] ?? []), ...(SECTION_CUES[form] ?? [])]) cues.add(cue);
    }
  }
  return [...cues].map((cue) => new RegExp(`(?<![a-z0-9])${escapeRegExp(cue)}(?![a-z0-9])`));
}

/**
 * Files each sentence under exactly one key: the one whose cues it mentions most (distinct cues, case-insensitive),
 * the earlier key on a tie, and `unfiled` when it mentions none. Every sentence lands somewhere once, so every token
 * of the input appears in the output exactly as often as in the input.
 */
function fileSentences(
  sentences: readonly Sentence[],
  keys: readonly string[],
  unfiled: number,
  patternsOf: (key: string) => RegExp[] = cuePatterns,
  scoreCategory = false,
): Sentence[][] {
  const patterns = keys.map(patternsOf);
  const buckets: Sentence[][] = keys.map(() => []);
  for (const sentence of sentences) {
    const scored = scoreCategory && sentence.category ? `${sentence.text} ${sentence.category}` : sentence.text;
    const lower = scored.toLowerCase();
    let best = unfiled;
    let bestScore = 0;
    patterns.forEach((cues, index) => {
      const score = cues.filter((cue) => cue.test(lower)).length;
      if (score > bestScore) {
        best = index;
        bestScore = score;
      }
    });
    buckets[best]?.push(sentence);
  }
  return buckets;
}

/** The sentences of the text, skipping the template's framing lines and noting which source each came from. */
function sentencesOf(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let sourceId: string | undefined;
  let category: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    // Markup holding a token (which our templates never write) is kept as content, so the token is not lost.
    const open = findTokens(line).length === 0 ? SOURCE_OPEN.exec(line) : null;
    if (open) {
      sourceId = open[1];
      category = SOURCE_CATEGORY.exec(line)?.[1];
      continue;
    }
    if (SOURCE_CLOSE.test(line)) {
      sourceId = undefined;
      category = undefined;
      continue;
    }
    if (FRAMING_HEADING.test(line)) continue;
    for (const part of line.replace(LIST_MARKER, '').split(SENTENCE_BREAK)) {
      const sentence = part.trim();
      if (sentence !== '') sentences.push({ text: sentence, sourceId, ...(category ? { category } : {}) });
    }
  }
  return sentences;
}

/** The keys named on the system prompt's `Respond with JSON with the keys: a, b, c` line, in order, or undefined. */
function requestedKeys(system: string): string[] | undefined {
  const line = JSON_KEYS_LINE.exec(system)?.[1];
  if (line === undefined) return undefined;
  const keys = line
    .replace(/\.$/, '')
    .split(/,|\s+and\s+/)
    .map((key) => key.trim().replace(/^[`'"]+|[`'"]+$/g, ''))
    .filter((key) => key !== '');
  return keys.length > 0 ? [...new Set(keys)] : undefined;
}

/** The headings named on a sectioned prompt's last line, in order, or undefined. */
function requestedHeadings(system: string): string[] | undefined {
  const line = SECTIONS_LINE.exec(system)?.[1];
  if (line === undefined) return undefined;
  const headings = line
    .split(HEADING_SEPARATOR.trim())
    .map((heading) => heading.trim())
    .filter((heading) => heading !== '');
  return headings.length > 0 ? [...new Set(headings)] : undefined;
}

/** The heading a sentence is explicitly labelled with (`Unsupported codes: ...`), and the rest of the sentence. */
function labelled(sentence: Sentence, headings: readonly string[]): { index: number; text: string } | undefined {
  const lower = sentence.text.toLowerCase();
  const index = headings.findIndex((heading) => lower.startsWith(`${heading.toLowerCase()}:`));
  const heading = headings[index];
  if (heading === undefined) return undefined;
  const text = sentence.text.slice(heading.length + 1).trim();
  return text === '' ? undefined : { index, text };
}

/**
 * A draft reply: `{"sections": [{heading, statements: [{text, evidence: [sourceId]}]}]}` with every heading. Only
 * sentences from sources are used (the clinician's instructions steer a draft, they are not its content). When the
 * sources already hold sentences labelled with a heading (the coding review's rule findings), only those are
 * restated, under their label; otherwise each sentence is filed by cue words, unmatched ones under the first heading.
 */
function sectionsReply(sentences: readonly Sentence[], headings: readonly string[]): string {
  const sourced = sentences.filter((sentence) => sentence.sourceId !== undefined);
  const buckets: Sentence[][] = headings.map(() => []);
  const labels = sourced.map((sentence) => labelled(sentence, headings));
  if (labels.some((label) => label !== undefined)) {
    sourced.forEach((sentence, position) => {
      const label = labels[position];
      if (label) buckets[label.index]?.push({ ...sentence, text: label.text });
    });
  } else {
    fileSentences(sourced, headings, 0, sectionCuePatterns, true).forEach((bucket, index) => {
      buckets[index]?.push(...bucket);
    });
  }
  const sections = headings.map((heading, index) => ({
    heading,
    statements: (buckets[index] ?? []).map((sentence) => ({
      text: sentence.text,
      evidence: sentence.sourceId ? [sentence.sourceId] : [],
    })),
  }));
  return JSON.stringify({ sections }, null, 2);
}

function cited(sentence: Sentence): string {
  return sentence.sourceId ? `${sentence.text} (source: ${sentence.sourceId})` : sentence.text;
}

function jsonReply(sentences: readonly Sentence[], keys: readonly string[]): string {
  const buckets = fileSentences(sentences, keys, 0);
  const reply = Object.fromEntries(keys.map((key, index) => [key, (buckets[index] ?? []).map(cited)]));
  return JSON.stringify(reply, null, 2);
}

function textReply(sentences: readonly Sentence[]): string {
  if (sentences.length === 0) return 'The last user message holds no text to structure.';
  const headings = [...TEXT_SECTIONS, UNFILED_SECTION];
  const buckets = fileSentences(sentences, headings, headings.length - 1);
  return headings
    .flatMap((heading, index) => {
      const bucket = buckets[index] ?? [];
      return bucket.length === 0
        ? []
        : [`## ${heading}\n${bucket.map((sentence) => `- ${cited(sentence)}`).join('\n')}`];
    })
    .join('\n\n');
}

function estimateTokens(characters: number): number {
  return Math.ceil(characters / CHARACTERS_PER_TOKEN);
}

/** Splits the reply at line ends into at most `count` chunks that join back to it exactly. */
function chunksOf(text: string, count: number): string[] {
  const lines = text.split(/(?<=\n)/);
  const perChunk = Math.ceil(lines.length / count);
  const chunks: string[] = [];
  for (let index = 0; index < lines.length; index += perChunk)
    chunks.push(lines.slice(index, index + perChunk).join(''));
  return chunks;
}

/**
 * The embedded default: no network, no weights, the same reply for the same request. It restates the sentences of
 * the last user message under headings (or under the JSON keys the system prompt asks for, or as the sectioned draft
 * JSON a draft prompt asks for), copying vault tokens verbatim and adding nothing but its label, headings and source
 * ids taken from the input. It is NOT a model: it neither summarises nor reasons, and the drafts it makes say so.
 * `maxOutputTokens` is not enforced: cutting the reply could drop tokens it must keep.
 */
export class OfflineModelClient implements ModelClient {
  readonly name = CLIENT_NAME;
  readonly isRealModel = false;
  private readonly now: () => number;

  constructor(options: OfflineModelClientOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    const startedAt = this.now();
    throwIfAborted(request.signal);
    return this.reply(request, this.compose(request), startedAt, 'complete');
  }

  async stream(request: ModelRequest, onDelta: (text: string) => void): Promise<ModelReply> {
    const startedAt = this.now();
    const text = this.compose(request);
    for (const chunk of chunksOf(text, STREAM_CHUNKS)) {
      throwIfAborted(request.signal);
      onDelta(chunk);
      // Yields between chunks, as a network stream would, so callers see them arrive separately.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return this.reply(request, text, startedAt, 'stream');
  }

  private compose(request: ModelRequest): string {
    const lastUserMessage = request.messages.findLast((message) => message.role === 'user')?.text ?? '';
    const sentences = sentencesOf(lastUserMessage);
    const headings = requestedHeadings(request.system);
    const keys = requestedKeys(request.system);
    const body = headings
      ? sectionsReply(sentences, headings)
      : keys
        ? jsonReply(sentences, keys)
        : textReply(sentences);
    return `${OFFLINE_MODEL_LABEL}\n${body}`;
  }

  private reply(request: ModelRequest, text: string, startedAt: number, mode: 'complete' | 'stream'): ModelReply {
    const promptCharacters = request.messages.reduce(
      (sum, message) => sum + message.text.length,
      request.system.length,
    );
    const usage = { inputTokens: estimateTokens(promptCharacters), outputTokens: estimateTokens(text.length) };
    const latencyMs = Math.max(0, Math.round(this.now() - startedAt));
    log.debug('offline model reply composed', { mode, latencyMs, ...usage });
    return { text, usage, latencyMs, stopReason: 'end_turn', client: CLIENT_NAME };
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ModelCallFailed('TIMEOUT', 'AbortError');
}
