/** Port: a keyed MAC whose key never leaves its keeper (KMS GenerateMac in AWS, a local key file locally). */

export interface TokenMac {
  readonly name: string;
  /** HMAC-SHA-256 of each message, in order. */
  macAll(messages: readonly string[]): Promise<Uint8Array[]>;
}
