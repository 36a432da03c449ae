/** The token format written in place of PHI: `[TYPE_XXXXXX]`, which models copy verbatim, and how to find it. */
import { PHI_TYPES, type PhiType } from './phi-types.ts';

// Crockford base32: no I, L, O or U, so tokens survive being read aloud or retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TOKEN_CODE_LENGTH = 6;

export const TOKEN_PATTERN = new RegExp(`\\[(${PHI_TYPES.join('|')})_([${ALPHABET}]{${TOKEN_CODE_LENGTH}})\\]`, 'g');

/** Encodes the first 30 bits of a MAC as six base32 characters. */
export function tokenCode(mac: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let code = '';
  for (const byte of mac) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && code.length < TOKEN_CODE_LENGTH) {
      code += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (code.length === TOKEN_CODE_LENGTH) break;
    value &= (1 << bits) - 1;
  }
  return code;
}

export function formatToken(type: PhiType, code: string): string {
  return `[${type}_${code}]`;
}

export interface FoundToken {
  readonly token: string;
  readonly type: PhiType;
  readonly begin: number;
  readonly end: number;
}

export function findTokens(text: string): FoundToken[] {
  const found: FoundToken[] = [];
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    found.push({ token: match[0], type: match[1] as PhiType, begin: match.index, end: match.index + match[0].length });
  }
  return found;
}
