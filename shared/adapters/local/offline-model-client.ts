/** ModelClient without a model: deterministic extractive structuring of the de-identified input, for local development. */
import { log } from '../../observability/telemetry.ts';
import { findTokens } from '../../phi/vault-token.ts';
import { ModelCallFailed, type ModelClient, type ModelReply, type ModelRequest } from '../../ports/model-client.ts';

const CLIENT_NAME = 'offline';
export const OFFLINE_MODEL_LABEL = '[OFFLINE MODEL — not a real model; extractive output for local development]';
const CHARACTERS_PER_TOKEN = 4;
const STREAM_CHUNKS = 4;

// The line our prompt templates end with when they want JSON (see `shared/ai/prompts/`).
const JSON_KEYS_LINE = /^\s*Respond with JSON with the keys:\s*(.+?)\s*$/im;
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

/**
 * Files each sentence under exactly one key: the one whose cues it mentions most (distinct cues, case-insensitive),
 * the earlier key on a tie, and `unfiled` when it mentions none. Every sentence lands somewhere once, so every token
 * of the input appears in the output exactly as often as in the input.
 */
function fileSentences(sentences: readonly Sentence[], keys: readonly string[], unfiled: number): Sentence[][] {
  const patterns = keys.map(cuePatterns);
  const buckets: Sentence[][] = keys.map(() => []);
  for (const sentence of sentences) {
    const lower = sentence.text.toLowerCase();
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
  for (const line of text.split(/\r?\n/)) {
    // Markup holding a token (which our templates never write) is kept as content, so the token is not lost.
    const open = findTokens(line).length === 0 ? SOURCE_OPEN.exec(line) : null;
    if (open) {
      sourceId = open[1];
      continue;
    }
    if (SOURCE_CLOSE.test(line)) {
      sourceId = undefined;
      continue;
    }
    if (FRAMING_HEADING.test(line)) continue;
    for (const part of line.replace(LIST_MARKER, '').split(SENTENCE_BREAK)) {
      const sentence = part.trim();
      if (sentence !== '') sentences.push({ text: sentence, sourceId });
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
 * the last user message under headings (or under the JSON keys the system prompt asks for), copying vault tokens
 * verbatim and adding nothing but its label, headings and `(source: id)` citations taken from the input.
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
    const keys = requestedKeys(request.system);
    const body = keys ? jsonReply(sentences, keys) : textReply(sentences);
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
