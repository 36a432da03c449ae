/**
 * A stand-in for Amazon Comprehend Medical's DetectPHI, answering from gold labels (no AWS access here): it
 * measures the ensemble's mechanics (chunking, offsets, merging), never Comprehend's real accuracy.
 */
import {
  type ComprehendMedicalClient,
  DetectPHICommand,
  type DetectPHICommandOutput,
  type Entity,
  type EntitySubType,
  TextSizeLimitExceededException,
  ValidationException,
} from '@aws-sdk/client-comprehendmedical';
import type { PhiType } from '../../shared/phi/phi-types.ts';
import type { LabelledSpan } from './deid-metrics.ts';

/** Comprehend Medical's PHI vocabulary is coarser than ours; identifiers of every kind come back as ID. */
export const COMPREHEND_TYPE_FOR: Readonly<Record<PhiType, EntitySubType>> = {
  NAME: 'NAME',
  DATE: 'DATE',
  AGE: 'AGE',
  ADDRESS: 'ADDRESS',
  LOCATION: 'ADDRESS',
  ZIP: 'ADDRESS',
  FACILITY: 'ADDRESS',
  PHONE: 'PHONE_OR_FAX',
  FAX: 'PHONE_OR_FAX',
  EMAIL: 'EMAIL',
  URL: 'URL',
  PROFESSION: 'PROFESSION',
  SSN: 'ID',
  MRN: 'ID',
  HEALTH_PLAN: 'ID',
  ACCOUNT: 'ID',
  LICENSE: 'ID',
  VEHICLE: 'ID',
  DEVICE: 'ID',
  IP_ADDRESS: 'ID',
  ID: 'ID',
};

/** Share of gold strings the simulation never reports, chosen by a hash of the string so misses are systematic. */
export const SIMULATED_MISS_RATE = 0.12;

/** DetectPHI rejects text of 20,000 UTF-8 bytes or more (service quota). */
export const DETECT_PHI_MAX_BYTES = 20_000;

/** FNV-1a, 32 bits: a stable hash so the same string is always kept or always dropped. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function isSimulatedMiss(type: PhiType, text: string, missRate: number): boolean {
  return fnv1a(`${type}|${text}`) % 10_000 < missRate * 10_000;
}

/** Maps UTF-16 indices of `text` to code point indices, which is how Comprehend reports offsets. */
function codePointOffsets(text: string): (utf16Index: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (index) => index;
  const table = new Uint32Array(text.length + 1);
  let codePoints = 0;
  for (let i = 0; i < text.length; i++) {
    table[i] = codePoints;
    const codePoint = text.codePointAt(i) ?? 0;
    if (codePoint > 0xffff) table[++i] = codePoints;
    codePoints++;
  }
  table[text.length] = codePoints;
  return (index) => table[index] ?? codePoints;
}

/**
 * The Entities DetectPHI would return for `chunk`, a piece of `source` whose gold spans are `gold`: every gold span
 * inside the chunk (clipped at its edges), minus the simulated misses, with Comprehend's types and code point offsets.
 */
export function simulateDetectPhi(
  source: string,
  gold: readonly LabelledSpan[],
  chunk: string,
  chunkStart: number,
  missRate: number = SIMULATED_MISS_RATE,
): Entity[] {
  const chunkEnd = chunkStart + chunk.length;
  const toCodePoint = codePointOffsets(chunk);
  const entities: Entity[] = [];
  for (const span of gold) {
    const begin = Math.max(span.begin, chunkStart);
    const end = Math.min(span.end, chunkEnd);
    if (end <= begin) continue;
    const text = source.slice(span.begin, span.end);
    if (isSimulatedMiss(span.type, text, missRate)) continue;
    const hash = fnv1a(text);
    entities.push({
      Id: entities.length,
      BeginOffset: toCodePoint(begin - chunkStart),
      EndOffset: toCodePoint(end - chunkStart),
      Score: 0.55 + (hash % 45) / 100,
      Text: chunk.slice(begin - chunkStart, end - chunkStart),
      Category: 'PROTECTED_HEALTH_INFORMATION',
      Type: COMPREHEND_TYPE_FOR[span.type],
      Traits: [],
    });
  }
  return entities;
}

export interface SimulationStats {
  calls: number;
  /** Requests whose text was not found in the note being answered for (answered with no entities). */
  unmatched: number;
}

/**
 * Holds the note currently being detected and answers DetectPHICommand for any piece of it, as the real client
 * would for the chunks an adapter sends. Call `answerFrom(note)` before each `detect`.
 */
export class SimulatedComprehendMedical {
  readonly stats: SimulationStats = { calls: 0, unmatched: 0 };
  #source = '';
  #gold: readonly LabelledSpan[] = [];
  readonly #missRate: number;

  constructor(missRate: number = SIMULATED_MISS_RATE) {
    this.#missRate = missRate;
  }

  answerFrom(note: { readonly text: string; readonly entities: readonly LabelledSpan[] }): void {
    this.#source = note.text;
    this.#gold = note.entities;
  }

  /** The object handed to the adapter as its client: only `send` (and a no-op `destroy`) exist. */
  get client(): ComprehendMedicalClient {
    const send = (command: unknown, options?: { abortSignal?: AbortSignal }) => this.#send(command, options);
    // The adapter needs only `send`; a full client would drag in credentials and endpoints the benchmark must not use.
    return { send, destroy: () => undefined } as unknown as ComprehendMedicalClient;
  }

  async #send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<DetectPHICommandOutput> {
    if (!(command instanceof DetectPHICommand))
      throw new Error('the simulated Comprehend Medical answers only DetectPHICommand');
    if (options?.abortSignal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    this.stats.calls++;
    const text = command.input.Text ?? '';
    if (text.length === 0) {
      throw new ValidationException({
        message: 'Text must have length at least 1',
        $metadata: { httpStatusCode: 400 },
      });
    }
    if (Buffer.byteLength(text, 'utf8') >= DETECT_PHI_MAX_BYTES) {
      throw new TextSizeLimitExceededException({
        message: `Text is ${Buffer.byteLength(text, 'utf8')} bytes; DetectPHI accepts fewer than ${DETECT_PHI_MAX_BYTES}`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    const at = this.#source.indexOf(text);
    if (at < 0) this.stats.unmatched++;
    const entities = at < 0 ? [] : simulateDetectPhi(this.#source, this.#gold, text, at, this.#missRate);
    return { Entities: entities, ModelVersion: 'simulated-from-gold', $metadata: { httpStatusCode: 200 } };
  }
}
