// Finds IPv4 and IPv6 addresses; IPv6 candidates are confirmed by Node's parser so clock times are not taken.
import { isIPv6 } from 'node:net';
import type { PhiRule, SpanSink } from './phi-rule.ts';

const IPV4 =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/(?:3[0-2]|[12]?\d))?(?!\d|\.\d)/g;
const IPV6_HINT = /:[0-9a-f]{1,4}:/i;
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/gi;

function findIpAddresses(text: string, report: SpanSink): void {
  IPV4.lastIndex = 0;
  for (let match = IPV4.exec(text); match !== null; match = IPV4.exec(text)) {
    report(match.index, match.index + match[0].length, 'IP_ADDRESS', 0.9);
  }
  // Every candidate has "::" or a group between two colons; most notes have neither and skip the scan.
  if (!text.includes('::') && !IPV6_HINT.test(text)) return;
  IPV6_CANDIDATE.lastIndex = 0;
  for (let match = IPV6_CANDIDATE.exec(text); match !== null; match = IPV6_CANDIDATE.exec(text)) {
    const candidate = match[0];
    // A valid IPv6 address needs "::" or eight groups; "10:30:45" is a time and fails both.
    if (candidate.replace(/[^0-9a-f]/gi, '').length < 3 || !isIPv6(candidate)) continue;
    report(match.index, match.index + candidate.length, 'IP_ADDRESS', 0.9);
  }
}

export const ipAddressRule: PhiRule = {
  name: 'ip-addresses',
  types: ['IP_ADDRESS'],
  find(input, report) {
    findIpAddresses(input.text, report);
  },
};
