// Finds occupations stated about a person ("works as an electrician", "Occupation: teacher", "retired dental
// hygienist", "a welder by trade"), which can identify someone in a small practice; low priority, so only with a cue.
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { wordSet } from './word-set.ts';

/** Occupation heads: the last word of a job title ("school teacher", "forklift operator", "home health aide"). */
const OCCUPATIONS = wordSet(`
  teacher educator professor lecturer instructor tutor librarian principal counselor counsellor coach trainer
  engineer surveyor draftsman drafter architect designer programmer coder developer analyst administrator
  lawyer attorney paralegal notary judge accountant bookkeeper auditor actuary economist statistician banker teller
  broker realtor underwriter adjuster agent cashier clerk assistant secretary receptionist typist transcriptionist translator
  interpreter salesman saleswoman salesperson rep representative merchandiser stocker buyer manager supervisor
  foreman director executive consultant contractor entrepreneur owner proprietor
  electrician plumber carpenter mechanic machinist welder pipefitter boilermaker millwright ironworker steelworker
  bricklayer mason stonemason plasterer painter drywaller glazier roofer upholsterer cabinetmaker woodworker
  lineman linemen installer repairman repairer technician tech operator assembler fabricator printer miner driller
  rigger logger lumberjack farmer rancher farmhand fisherman landscaper gardener groundskeeper florist laborer
  labourer worker handyman mover courier dispatcher driver trucker chauffeur cabbie conductor pilot aviator
  attendant stewardess navigator sailor seaman deckhand longshoreman
  firefighter fireman policeman policewoman officer detective investigator trooper sheriff deputy ranger warden
  guard bouncer soldier marine airman veteran
  nurse physician doctor surgeon dentist hygienist pharmacist therapist paramedic emt medic midwife doula
  chiropractor optometrist audiologist dietitian nutritionist phlebotomist sonographer radiographer technologist
  psychologist psychiatrist veterinarian vet groomer zookeeper caregiver caretaker aide nanny babysitter
  housekeeper maid janitor custodian homemaker housewife
  scientist researcher chemist biologist physicist geologist astronomer mathematician
  journalist reporter editor writer author poet artist sculptor photographer videographer musician singer
  composer actor actress dancer model athlete referee umpire lifeguard
  chef cook baker butcher dishwasher server waiter waitress bartender barista host hostess busser
  pastor minister priest rabbi imam preacher chaplain deacon missionary nun monk clergyman
  postman mailman carrier stylist hairdresser barber cosmetologist manicurist esthetician seamstress tailor
  student apprentice intern`);

/** A job title: up to three lower-case modifiers and the head ("long-haul trucker", "retired home health aide"). */
const TITLE = '((?:[a-z][a-z-]{1,20}\\s{1,2}){0,3}([a-z][a-z-]{2,20}))';

/** "works as a ...", "employed as ...": anything after is a job if its last word looks like one. */
const WORKS_AS = new RegExp(
  `\\b(?:(?:works?|worked|working|employed|trained|retired|job|career|position|role)\\s{1,2}as|(?:occupation|profession)\\s{1,2}(?:is|was))\\s{1,2}(?:an?\\s{1,2}|the\\s{1,2})?${TITLE}\\b`,
  'gi',
);
const FIELD =
  /\b(?:occupation|profession|employment|job(?:\s{1,2}title)?|work|position)\s{0,2}:\s{0,3}([A-Za-z][A-Za-z \-/]{2,40}?)(?=\s{0,2}(?:[\n\r;,.|]|$))/gim;
/** "retired dental hygienist", "is a bank teller", "as a forklift operator": the head must be a listed job. */
const RETIRED = new RegExp(
  `\\b(?:retired|former|ex-|is\\s{1,2}an?|was\\s{1,2}an?|as\\s{1,2}an?|became\\s{1,2}an?)\\s{1,2}${TITLE}\\b`,
  'gi',
);
/** "a welder by trade": the words before the cue are the job whatever they are (read back from the cue). */
const BY_TRADE = /\bby\s{1,2}(?:trade|profession)\b/gi;
const WORDS_BEFORE = /((?:[a-z][a-z-]{1,20}\s{1,2}){0,2}[a-z][a-z-]{2,20})\s{1,2}$/i;
const STOP_AFTER = /\b(?:at|for|in|with|and|who|since|until|but|from|by|on|of)\b.*$/i;
/** Leading words of a "by trade" phrase that belong to the sentence. */
const LEADING = /^(?:(?:an?|the|was|is|he|she|they|i|am|been|former|retired)\s{1,2})+/i;
/** Endings of job nouns, for "works as ..." where the head is not listed ("works as a scheduler"). */
const JOB_ENDING = /(?:er|or|ist|ian|ant|man|woman|ess|aide|smith|wright|keeper|hand|tech|rep|agent)$/;
const NOT_A_JOB = /^(?:none|n\/a|na|unknown|unemployed|retired|disabled|full[ -]time|part[ -]time|other)$/i;

function isJob(head: string): boolean {
  const key = head.toLowerCase();
  return OCCUPATIONS.has(key) || OCCUPATIONS.has(key.replace(/s$/, ''));
}

function findProfessions(text: string, report: SpanSink): void {
  WORKS_AS.lastIndex = 0;
  for (let match = WORKS_AS.exec(text); match !== null; match = WORKS_AS.exec(text)) {
    const value = (match[1] ?? '').replace(STOP_AFTER, '').trimEnd();
    const head = value.slice(value.lastIndexOf(' ') + 1);
    // "works as needed", "worked as usual": the last word must be a job.
    if (value.length < 3 || !(isJob(head) || JOB_ENDING.test(head.toLowerCase()))) continue;
    const begin = match.index + match[0].length - (match[1] ?? '').length;
    report(begin, begin + value.length, 'PROFESSION', 0.6);
  }
  FIELD.lastIndex = 0;
  for (let match = FIELD.exec(text); match !== null; match = FIELD.exec(text)) {
    const value = (match[1] ?? '').replace(STOP_AFTER, '').trim();
    if (value.length < 3 || NOT_A_JOB.test(value)) continue;
    const begin = match.index + match[0].lastIndexOf(match[1] ?? '');
    report(begin, begin + value.length, 'PROFESSION', 0.7);
  }
  RETIRED.lastIndex = 0;
  for (let match = RETIRED.exec(text); match !== null; match = RETIRED.exec(text)) {
    const words = match[1] ?? '';
    const begin = match.index + match[0].length - words.length;
    // The title ends at its last listed job word: "retired accountant who lives alone" -> "retired accountant".
    let end = -1;
    for (const word of words.matchAll(/[a-z-]+/gi)) if (isJob(word[0])) end = word.index + word[0].length;
    if (end > 0) report(begin, begin + end, 'PROFESSION', 0.6);
  }
  BY_TRADE.lastIndex = 0;
  for (let match = BY_TRADE.exec(text); match !== null; match = BY_TRADE.exec(text)) {
    const before = text.slice(Math.max(0, match.index - 70), match.index);
    const words = WORDS_BEFORE.exec(before);
    const phrase = words?.[1];
    if (words === null || phrase === undefined) continue;
    const value = phrase.replace(LEADING, '');
    if (value.length < 3) continue;
    const begin = match.index - before.length + words.index + (phrase.length - value.length);
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
