// Finds occupations stated about a person ("works as an electrician", "Occupation: teacher", "retired firefighter"),
// which can identify someone in a small practice; low priority, so only with a cue.
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { wordSet } from './word-set.ts';

/** Occupation heads recognised after "retired", "former" or "is a". */
const OCCUPATIONS = wordSet(`
  teacher professor engineer lawyer attorney accountant electrician plumber carpenter mechanic farmer rancher
  firefighter fireman policeman officer detective soldier veteran marine sailor pilot driver trucker cashier
  waiter waitress bartender chef cook baker butcher janitor custodian housekeeper nanny secretary receptionist
  clerk librarian banker broker realtor architect programmer developer scientist chemist physicist pharmacist
  dentist veterinarian paramedic nurse physician surgeon therapist counselor pastor minister priest rabbi
  musician artist writer journalist editor photographer designer contractor builder roofer welder machinist
  electrician miner logger fisherman landscaper gardener salesman saleswoman manager executive consultant
  analyst student professor coach athlete hairdresser barber stylist cosmetologist dancer actor actress
  firefighter correctional guard security lineman technician`);

const WORKS_AS =
  /\b(?:(?:works?|worked|working|employed|trained|retired)\s{1,2}as|(?:occupation|profession)\s{1,2}is)\s{1,2}(?:an?\s{1,2}|the\s{1,2})?((?:[a-z][a-z-]{1,20}\s{1,2}){0,2}[a-z][a-z-]{2,20})\b/gi;
const FIELD =
  /\b(?:occupation|profession|employment|job title)\s{0,2}:\s{0,3}([A-Za-z][A-Za-z \-/]{2,40}?)(?=\s{0,2}(?:[\n\r;,.|]|$))/gim;
const RETIRED =
  /\b(?:retired|former|is\s{1,2}an?|was\s{1,2}an?|works\s{1,2}as\s{1,2}an?)\s{1,2}((?:[a-z][a-z-]{1,20}\s{1,2})?([a-z][a-z-]{2,20}))\b/gi;
const STOP_AFTER = /\b(?:at|for|in|with|and|who|since|until|but|from)\b.*$/i;

function findProfessions(text: string, report: SpanSink): void {
  WORKS_AS.lastIndex = 0;
  for (let match = WORKS_AS.exec(text); match !== null; match = WORKS_AS.exec(text)) {
    const value = (match[1] ?? '').replace(STOP_AFTER, '').trimEnd();
    if (value.length < 3) continue;
    const begin = match.index + match[0].length - (match[1] ?? '').length;
    report(begin, begin + value.length, 'PROFESSION', 0.6);
  }
  FIELD.lastIndex = 0;
  for (let match = FIELD.exec(text); match !== null; match = FIELD.exec(text)) {
    const value = (match[1] ?? '').trim();
    if (value.length < 3 || /^(?:none|n\/a|unknown|unemployed|retired|disabled)$/i.test(value)) continue;
    const begin = match.index + match[0].lastIndexOf(value);
    report(begin, begin + value.length, 'PROFESSION', 0.7);
  }
  RETIRED.lastIndex = 0;
  for (let match = RETIRED.exec(text); match !== null; match = RETIRED.exec(text)) {
    const head = (match[2] ?? '').toLowerCase();
    if (!OCCUPATIONS.has(head) && !OCCUPATIONS.has(head.replace(/s$/, ''))) continue;
    const value = match[1] ?? '';
    const begin = match.index + match[0].length - value.length;
    report(begin, begin + value.length, 'PROFESSION', 0.6);
  }
}

export const professionRule: PhiRule = {
  name: 'professions',
  types: ['PROFESSION'],
  find(input, report) {
    findProfessions(input.text, report);
  },
};
