// Finds web addresses: with a scheme, starting "www.", or a bare domain with a common top-level domain and a path.
import type { PhiRule, SpanSink } from './phi-rule.ts';

const WITH_SCHEME = /\b(?:(?:https?|ftps?|sftp):\/\/|www\.)[^\s<>"'`{}|\\^]{1,2048}/gi;
/** Bare domains: the top-level list keeps file names ("report.pdf") and abbreviations ("b.i.d.") out. */
const BARE_DOMAIN =
  /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,4}(?:com|org|net|edu|gov|mil|int|io|us|info|biz|health|care|clinic|hospital|doctor|app|ai|co|me|tv|ly|uk|ca)(?![\w@-]|\.[a-z0-9])(?:\/[^\s<>"'`{}|\\^]{0,2048})?/gi;

/** Drops punctuation that ends the sentence rather than the address, and an unmatched closing bracket. */
function urlEnd(text: string, begin: number, end: number): number {
  let stop = end;
  for (;;) {
    const last = text.charAt(stop - 1);
    if (/[.,;:!?'"]/.test(last)) stop -= 1;
    else if (last === ')' && !text.slice(begin, stop).includes('(')) stop -= 1;
    else if (last === ']' && !text.slice(begin, stop).includes('[')) stop -= 1;
    else return stop;
  }
}

/** A bare domain needs a top-level domain after a dot; this literal-led test skips most notes cheaply. */
const TOP_LEVEL_HINT =
  /\.(?:com|org|net|edu|gov|mil|int|io|us|info|biz|health|care|clinic|hospital|doctor|app|ai|co|me|tv|ly|uk|ca)(?![\w@-]|\.[a-z0-9])/i;

function findUrls(text: string, report: SpanSink): void {
  for (const [regex, score] of [
    [WITH_SCHEME, 0.95],
    [BARE_DOMAIN, 0.8],
  ] as const) {
    if (regex === BARE_DOMAIN && !TOP_LEVEL_HINT.test(text)) continue;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const end = urlEnd(text, match.index, match.index + match[0].length);
      if (end - match.index > 4) report(match.index, end, 'URL', score);
    }
  }
}

export const urlRule: PhiRule = {
  name: 'web-addresses',
  types: ['URL'],
  find(input, report) {
    findUrls(input.text, report);
  },
};
