/** EnvelopeKeys for the local runtime: data keys wrapped with AES-256-GCM under a master key from a local file. */
import { randomBytes } from 'node:crypto';
import { canonicalContext, open, seal } from '../../crypto/aes-gcm.ts';
import type { DataKey, EnvelopeKeys } from '../../ports/envelope-keys.ts';

export class LocalEnvelopeKeys implements EnvelopeKeys {
  readonly name = 'LocalEnvelopeKeys';

  constructor(private readonly masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new Error('The local master key must be 32 bytes');
  }

  async generateDataKey(context: Readonly<Record<string, string>>): Promise<DataKey> {
    const plaintext = randomBytes(32);
    return { plaintext, encrypted: seal(this.masterKey, plaintext, canonicalContext(context)) };
  }

  async decryptDataKey(encrypted: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array> {
    return open(this.masterKey, encrypted, canonicalContext(context));
  }
}
