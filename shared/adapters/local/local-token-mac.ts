/** TokenMac for the local runtime: HMAC-SHA-256 with a key read from a local file. */
import { createHmac } from 'node:crypto';
import type { TokenMac } from '../../ports/token-mac.ts';

export class LocalTokenMac implements TokenMac {
  readonly name = 'LocalTokenMac';

  constructor(private readonly key: Uint8Array) {
    if (key.length < 32) throw new Error('The local MAC key must be at least 32 bytes');
  }

  async macAll(messages: readonly string[]): Promise<Uint8Array[]> {
    return messages.map((message) => createHmac('sha256', this.key).update(message, 'utf8').digest());
  }
}
