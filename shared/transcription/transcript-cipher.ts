/**
 * Envelope encryption of transcript segments: one data key per encounter (stored only encrypted under the master
 * key), each final sealed with AES-256-GCM bound to its encounter and segment id.
 */
import { z } from 'zod';
import { open, seal } from '../crypto/aes-gcm.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';

/** The KMS encryption context: a data key of one encounter cannot be decrypted as another's. */
export const transcriptKeyContext = (encounterId: string) => ({ purpose: 'encounter-transcript', encounterId });
const segmentAad = (encounterId: string, segmentId: string) => `encounter-transcript|${encounterId}|${segmentId}`;

export const SealedTranscript = z.object({ speaker: z.string().max(64).optional(), text: z.string() }).strict();
export type SealedTranscript = z.infer<typeof SealedTranscript>;

export class TranscriptCipher {
  private constructor(
    private readonly encounterId: string,
    private readonly dataKey: Uint8Array,
  ) {}

  /** A new encounter's key: the plaintext key stays in memory, the encrypted one is stored with the encounter. */
  static async create(
    keys: EnvelopeKeys,
    encounterId: string,
  ): Promise<{ cipher: TranscriptCipher; encryptedKey: Uint8Array }> {
    const dataKey = await keys.generateDataKey(transcriptKeyContext(encounterId));
    return { cipher: new TranscriptCipher(encounterId, dataKey.plaintext), encryptedKey: dataKey.encrypted };
  }

  static async forEncounter(
    keys: EnvelopeKeys,
    encounterId: string,
    encryptedKey: Uint8Array,
  ): Promise<TranscriptCipher> {
    return new TranscriptCipher(
      encounterId,
      await keys.decryptDataKey(encryptedKey, transcriptKeyContext(encounterId)),
    );
  }

  seal(segmentId: string, content: SealedTranscript): Uint8Array {
    return seal(this.dataKey, Buffer.from(JSON.stringify(content), 'utf8'), segmentAad(this.encounterId, segmentId));
  }

  /** Throws when the bytes were changed or moved to another segment or encounter. */
  open(segmentId: string, sealed: Uint8Array): SealedTranscript {
    const plain = open(this.dataKey, sealed, segmentAad(this.encounterId, segmentId));
    return SealedTranscript.parse(JSON.parse(plain.toString('utf8')));
  }
}
