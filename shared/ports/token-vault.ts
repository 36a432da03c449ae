/** Port: the token vault, mapping typed tokens to PHI values per patient scope, encrypted, expiring and shreddable. */
import type { PhiType } from '../phi/phi-types.ts';

export interface VaultValue {
  readonly type: PhiType;
  readonly value: string;
}

export interface TokenVault {
  readonly name: string;
  /**
   * Returns one token per value, in order. The same value, type and scope always yield the same token, so one
   * patient's documents stay consistent; entries are written encrypted before this resolves.
   */
  tokenize(scope: string, values: readonly VaultValue[]): Promise<string[]>;
  /** Looks tokens up in `scope`; tokens unknown there (or from another scope) are absent from the result. */
  resolve(scope: string, tokens: readonly string[]): Promise<Map<string, string>>;
  /** Destroys the scope's data key and entries: its tokens can never be resolved again (crypto-shredding). */
  shred(scope: string): Promise<void>;
}
