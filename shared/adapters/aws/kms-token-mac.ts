/** TokenMac on AWS KMS: GenerateMac with an HMAC_256 key, so the tokenization key never leaves KMS. */
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { TokenMac } from '../../ports/token-mac.ts';

// KMS cryptographic operations share a per-account request quota; a few concurrent calls keep latency low.
const CONCURRENCY = 8;

export class KmsTokenMac implements TokenMac {
  readonly name = 'KmsTokenMac';

  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async macAll(messages: readonly string[]): Promise<Uint8Array[]> {
    const results: Uint8Array[] = new Array(messages.length);
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const index = next++;
        const output = await this.client.send(
          new GenerateMacCommand({
            KeyId: this.keyId,
            MacAlgorithm: 'HMAC_SHA_256',
            Message: Buffer.from(messages[index] ?? '', 'utf8'),
          }),
        );
        if (!output.Mac) throw new Error('KMS returned no MAC');
        results[index] = output.Mac;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, messages.length) }, worker));
    return results;
  }
}
