// Finds e-mail addresses by expanding around each "@", which keeps the scan linear on any input.
import type { PhiRule, SpanSink } from './phi-rule.ts';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

const isLocalChar = (c: number): boolean =>
  (c >= 48 && c <= 57) ||
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  c === 46 ||
  c === 95 ||
  c === 37 ||
  c === 43 ||
  c === 45 ||
  c === 39;
const isDomainChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;
const TOP_LEVEL = /\.[A-Za-z]{2,24}$/;

function findEmails(text: string, report: SpanSink): void {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let begin = at;
    while (begin > 0 && at - begin < MAX_LOCAL && isLocalChar(text.charCodeAt(begin - 1))) begin -= 1;
    while (begin < at && (text.charCodeAt(begin) === 46 || text.charCodeAt(begin) === 39)) begin += 1;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(end))) end += 1;
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end -= 1;
    if (begin === at || end === at + 1) continue;
    const domain = text.slice(at + 1, end);
    if (!TOP_LEVEL.test(domain) || domain.startsWith('.') || domain.includes('..')) continue;
    report(begin, end, 'EMAIL', 0.95);
  }
}

export const emailRule: PhiRule = {
  name: 'email-addresses',
  types: ['EMAIL'],
  find(input, report) {
    findEmails(input.text, report);
  },
};
