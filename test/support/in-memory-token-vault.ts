/** A typed fake of the TokenVault port for use-case tests: deterministic tokens per scope, kept in memory. */
import { createHmac } from 'node:crypto';
import { formatToken, tokenCode } from '../../shared/phi/vault-token.ts';
import type { TokenVault } from '../../shared/ports/token-vault.ts';

export function inMemoryTokenVault(): TokenVault & { readonly entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    name: 'in-memory',
    entries,
    async tokenize(scope, values) {
      return values.map(({ type, value }) => {
        for (let attempt = 0; ; attempt++) {
          const mac = createHmac('sha256', 'test').update(`${scope}|${type}|${value}|${attempt}`).digest();
          const token = formatToken(type, tokenCode(mac));
          const existing = entries.get(`${scope}|${token}`);
          if (existing === undefined || existing === value) {
            entries.set(`${scope}|${token}`, value);
            return token;
          }
        }
      });
    },
    async resolve(scope, tokens) {
      const found = new Map<string, string>();
      for (const token of tokens) {
        const value = entries.get(`${scope}|${token}`);
        if (value !== undefined) found.set(token, value);
      }
      return found;
    },
    async shred(scope) {
      for (const key of entries.keys()) if (key.startsWith(`${scope}|`)) entries.delete(key);
    },
  };
}
