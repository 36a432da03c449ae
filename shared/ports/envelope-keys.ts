/** Port: per-scope data keys for envelope encryption (KMS GenerateDataKey/Decrypt in AWS, a local key file locally). */

export interface DataKey {
  /** 32 bytes for AES-256-GCM; held in memory only for the request that needs it. */
  readonly plaintext: Uint8Array;
  /** The data key encrypted under the master key; safe to store. */
  readonly encrypted: Uint8Array;
}

export interface EnvelopeKeys {
  readonly name: string;
  /** A fresh data key bound to `context` (KMS encryption context): decrypting needs the same context. */
  generateDataKey(context: Readonly<Record<string, string>>): Promise<DataKey>;
  decryptDataKey(encrypted: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array>;
}
