/** Re-identification: puts the vault's values back in place of tokens, for an authorised caller in one scope. */
import type { TokenVault } from '../ports/token-vault.ts';
import { findTokens } from './vault-token.ts';

export interface ReidentifyResult {
  readonly text: string;
  readonly replacedCount: number;
  /** Tokens left as they were: unknown in this scope (from another scope, shredded, expired or invented). */
  readonly unknownTokens: string[];
}

/** `beforeRelease` records the disclosure; if it rejects, no value leaves this function. */
export async function reidentify(
  text: string,
  patientScope: string,
  ports: { vault: TokenVault; beforeRelease: (summary: { tokenCount: number }) => Promise<void> },
): Promise<ReidentifyResult> {
  const found = findTokens(text);
  const values = await ports.vault.resolve(
    patientScope,
    found.map((token) => token.token),
  );
  let out = '';
  let cursor = 0;
  let replacedCount = 0;
  const unknown = new Set<string>();
  for (const token of found) {
    const value = values.get(token.token);
    out += text.slice(cursor, token.begin) + (value ?? token.token);
    cursor = token.end;
    if (value === undefined) unknown.add(token.token);
    else replacedCount++;
  }
  await ports.beforeRelease({ tokenCount: values.size });
  return { text: out + text.slice(cursor), replacedCount, unknownTokens: [...unknown] };
}
