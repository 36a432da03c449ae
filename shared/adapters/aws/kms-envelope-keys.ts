/** EnvelopeKeys on AWS KMS: GenerateDataKey and Decrypt under the vault key, bound by an encryption context. */
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { DataKey, EnvelopeKeys } from '../../ports/envelope-keys.ts';

export class KmsEnvelopeKeys implements EnvelopeKeys {
  readonly name = 'KmsEnvelopeKeys';

  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async generateDataKey(context: Readonly<Record<string, string>>): Promise<DataKey> {
    const output = await this.client.send(
      new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }),
    );
    if (!output.Plaintext || !output.CiphertextBlob) throw new Error('KMS returned no data key');
    return { plaintext: output.Plaintext, encrypted: output.CiphertextBlob };
  }

  async decryptDataKey(encrypted: Uint8Array, context: Readonly<Record<string, string>>): Promise<Uint8Array> {
    // KeyId pins the key: a blob produced under any other key is refused rather than decrypted.
    const output = await this.client.send(
      new DecryptCommand({ KeyId: this.keyId, CiphertextBlob: encrypted, EncryptionContext: { ...context } }),
    );
    if (!output.Plaintext) throw new Error('KMS returned no plaintext');
    return output.Plaintext;
  }
}
