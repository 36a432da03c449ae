/** Patients' and clinicians' own words: portal messages, encounter transcripts and dictations. */
import { CHIEF_COMPLAINTS, DIAGNOSES, MEDICATIONS } from '../clinical-vocabulary.ts';
import { join, type LabelledText, labelled, lines, phi, recase } from '../labelled-text.ts';
import {
  age,
  casualPhone,
  clinicianName,
  clockTime,
  date,
  dateText,
  fullDate,
  name,
  numberWords,
  personalTitle,
  phone,
  streetLine,
  withArticle,
} from '../phi-formats.ts';
import type { Cast } from '../synthetic-cast.ts';
import { facilityName, facilityUrl, labMention, medicationLines } from './clinical-sections.ts';

const TYPOS: readonly (readonly [string, string])[] = [
  ['prescription', 'perscription'],
  ['appointment', 'apointment'],
  ['definitely', 'definately'],
  ['tomorrow', 'tommorow'],
  ['receive', 'recieve'],
  ['pharmacy', 'pharmcy'],
  ['a lot', 'alot'],
  ['because', 'bc'],
  ['you', 'u'],
];

/** Applies a few typos to unlabelled text only, so gold offsets stay valid. */
function misspell(cast: Cast, text: string): string {
  let out = text;
  for (const [right, wrong] of TYPOS) if (cast.rng.chance(0.5)) out = out.replaceAll(right, wrong);
  return out;
}

export function portalMessage(cast: Cast): LabelledText {
  const { rng, patient, pcp } = cast;
  const informal = rng.chance(0.7);
  const drLast = informal && rng.chance(0.5) ? phi('NAME', pcp.last.toLowerCase()) : phi('NAME', pcp.last);
  const selfName = informal
    ? recase(name(rng, patient, ['first-last', 'first']), 'lower')
    : name(rng, patient, ['first-last', 'full']);
  const medication = rng.pick(MEDICATIONS).name.split(' ')[0] ?? 'metformin';
  const body = rng
    .sample(
      [
        () =>
          labelled`${misspell(cast, `my bp has been running ${rng.int(140, 170)}/${rng.int(88, 100)} since i started the ${medication}, is that ok?`)}`,
        () =>
          labelled`${misspell(cast, 'i need a refill on my prescription before friday, ')}my pharmacy is ${phi('FACILITY', cast.pharmacy.name)} on ${phi('ADDRESS', cast.pharmacy.address.street)}.`,
        () =>
          labelled`fyi we moved!! new address is ${recase(streetLine(rng, patient.address), 'lower')}, ${phi('LOCATION', patient.address.place.city.toLowerCase())} ${phi('ZIP', patient.address.zip)} and my new cell is ${casualPhone(rng, patient.cellPhone)}`,
        () =>
          labelled`my ${patient.relative.relation} ${recase(name(rng, patient.relative, ['first', 'first-last']), 'lower')} will bring me to the ${misspell(cast, 'appointment')} on ${date(rng, cast.followUp, { styles: ['m/d', 'Month dth', 'mm/dd/yy'] })}, ${patient.relative.sex === 'F' ? 'her' : 'his'} number is ${casualPhone(rng, patient.relative.phone)}`,
        () =>
          labelled`can u fax the form to my job at ${phone(rng, patient.workPhone, 'FAX')}? i work as ${withArticle(phi('PROFESSION', patient.profession))} and they need a note for ${date(rng, cast.visit, { styles: ['m/d', 'Month dth', 'mm/dd/yy'] })}`,
        () =>
          labelled`my dad turned ${phi('AGE', String(rng.int(90, 99)))} last week and hes way more confused, can he be seen?`,
        () =>
          labelled`I paid the bill online with card ending ${phi('ACCOUNT', patient.cardNumber.slice(-4))} but it still shows a balance on account ${phi('ACCOUNT', patient.accountNumber)}.`,
        () =>
          labelled`the glucose sensor (serial ${phi('DEVICE', patient.device.serial)}) fell off again, ${misspell(cast, 'can i receive a new one tomorrow')}`,
        () => labelled`here is the link to my log: ${phi('URL', patient.personalUrl)}`,
        () => labelled`also my email changed to ${phi('EMAIL', patient.email)}`,
        () =>
          labelled`${misspell(cast, `been having ${rng.pick(CHIEF_COMPLAINTS)} for 2-3 days, took tylenol 500mg x2`)}`,
      ],
      rng.int(2, 4),
    )
    .map((build) => build());
  const headerFrom = rng.pick([
    () => labelled`From: ${name(rng, patient, ['first-last', 'full'])} <${phi('EMAIL', patient.email)}>`,
    () => labelled`From: ${phi('ID', patient.portalUsername)} (patient portal)`,
    () => labelled`From: ${name(rng, patient, ['last-first'])} [${phi('MRN', patient.mrn)}]`,
  ])();
  const greeting = informal ? labelled`hi dr ${drLast},` : labelled`Dear Dr. ${drLast},`;
  const closing = informal
    ? labelled`${rng.pick(['thx', 'thanks so much', 'ty', 'thank u'])}${rng.pick([' 😊', ' 🙏', '!!', ''])}\n${selfName}`
    : labelled`Thank you,\n${selfName}`;
  const footer = rng.pick([
    () => labelled`-- Sent via ${facilityUrl(rng, cast.clinic)} from IP ${phi('IP_ADDRESS', patient.ipv4)}`,
    () =>
      labelled`[portal audit] session from ${phi('IP_ADDRESS', rng.chance(0.5) ? patient.ipv6 : patient.ipv4)} at ${clockTime(rng)}`,
    () => labelled`Client IP: ${phi('IP_ADDRESS', patient.ipv4)}; user ${phi('ID', patient.portalUsername)}`,
  ])();
  return lines(
    headerFrom,
    labelled`To: ${facilityName(cast.clinic)} Nurse Pool; ${clinicianName(rng, pcp)}`,
    labelled`Sent: ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'm/d/yyyy', 'Mon d, yyyy'] })} ${clockTime(rng)}`,
    `Subject: ${rng.pick(['question', 'refill', 'RE: test results', 'bp readings', 'URGENT', 'new address'])}`,
    '',
    greeting,
    join(body, informal ? rng.pick(['\n', '. ', ' ... ', '. also ']) : '\n\n'),
    closing,
    '',
    footer,
  );
}

export function encounterTranscript(cast: Cast): LabelledText {
  const { rng, patient, pcp } = cast;
  const doctorLabel = rng.pick([
    () => labelled`Doctor`,
    () => labelled`DR. ${phi('NAME', pcp.last.toUpperCase())}`,
    () => labelled`Speaker 1 (${clinicianName(rng, pcp)})`,
  ])();
  const patientLabel = rng.pick([
    () => labelled`Patient`,
    () => labelled`${phi('NAME', patient.first.toUpperCase())}`,
    () => labelled`Speaker 2`,
  ])();
  const say = (who: LabelledText, words: LabelledText | string) => labelled`${who}: ${words}`;
  const spokenDob = rng.chance(0.5) ? phi('DATE', dateText(patient.dob, 'spoken')) : fullDate(rng, patient.dob);
  const medication = rng.pick(MEDICATIONS).name;
  const turns = [
    say(
      doctorLabel,
      labelled`Good ${rng.pick(['morning', 'afternoon'])}, ${personalTitle(patient)} ${phi('NAME', patient.last)}. Can you tell me your full name and date of birth?`,
    ),
    say(patientLabel, labelled`Sure, it's ${name(rng, patient, ['full', 'first-last'])}, ${spokenDob}.`),
    say(doctorLabel, labelled`Thanks. What brings you in today?`),
    say(
      patientLabel,
      labelled`${rng.pick(CHIEF_COMPLAINTS)}, mostly at night. It started around ${date(rng, cast.priorVisit, { styles: ['Month dth', 'Month yyyy', 'dth of Month'] })}.`,
    ),
    say(doctorLabel, labelled`Are you still working as ${withArticle(phi('PROFESSION', patient.profession))}?`),
    say(
      patientLabel,
      rng.chance(0.5)
        ? labelled`Yeah, ${rng.int(3, 6)} days a week.`
        : labelled`No, I retired back in ${rng.int(2005, 2022)}.`,
    ),
    say(doctorLabel, labelled`And you're taking the ${medication}?`),
    say(
      patientLabel,
      labelled`Most days. My ${patient.relative.relation} ${phi('NAME', patient.relative.first)} fills the pill box. ${patient.relative.sex === 'F' ? 'She' : 'He'} is in the waiting room, ${patient.relative.sex === 'F' ? 'her' : 'his'} number is ${phone(rng, patient.relative.phone)} if you need it.`,
    ),
  ];
  if (rng.chance(0.6)) {
    turns.push(
      say(doctorLabel, labelled`Still at the same address?`),
      say(
        patientLabel,
        labelled`No, we moved to ${streetLine(rng, patient.address)} over in ${phi('LOCATION', rng.chance(0.5) ? patient.address.place.city : patient.address.place.county)}.`,
      ),
    );
  }
  if (patient.age >= 90 || rng.chance(0.3)) {
    turns.push(
      say(doctorLabel, labelled`How old are you now?`),
      say(
        patientLabel,
        labelled`${patient.age >= 90 ? phi('AGE', rng.chance(0.5) ? numberWords(patient.age) : String(patient.age)) : String(patient.age)}, can you believe it.`,
      ),
    );
  }
  turns.push(
    say(
      doctorLabel,
      labelled`Your ${labMention(rng)}. I'd like you to see ${clinicianName(rng, cast.specialist)} at ${facilityName(cast.hospital)}. We'll send the order to ${facilityName(cast.pharmacy)}.`,
    ),
    say(patientLabel, labelled`Okay. Should I come back in ${rng.int(2, 6)} weeks?`),
    say(
      doctorLabel,
      labelled`Let's say ${date(rng, cast.followUp, { styles: ['Month dth', 'dth of Month', 'm/d'] })}, ${rng.pick(['first thing', 'in the afternoon', 'around 10'])}.`,
    ),
  );
  return lines(
    labelled`[Ambient transcript - ${facilityName(cast.clinic)} - ${date(rng, cast.visit, { styles: ['yyyy-mm-dd', 'mm/dd/yyyy'] })} ${clockTime(rng)}]`,
    ...turns,
    '[end of recording]',
  );
}

export function dictation(cast: Cast): LabelledText {
  const { rng, patient, specialist } = cast;
  const diagnosis = rng.pick(DIAGNOSES);
  const dob = rng.chance(0.5) ? phi('DATE', dateText(patient.dob, 'spoken')) : fullDate(rng, patient.dob);
  const mrnSpoken = rng.chance(0.4) ? patient.mrn.split('').join(' ') : patient.mrn;
  return lines(
    labelled`This is ${clinicianName(rng, specialist)} dictating a ${specialist.specialty.toLowerCase()} consultation on ${name(rng, patient, ['full', 'first-last'])}, medical record number ${phi('MRN', mrnSpoken)}, date of birth ${dob}, date of service ${date(rng, cast.visit, { styles: ['Month d, yyyy', 'Month dth', 'spoken'] })}. Referring physician ${clinicianName(rng, cast.pcp)}.`,
    '',
    labelled`History of present illness colon ${rng.chance(0.5) ? labelled`the patient is a ${age(rng, patient.age, 'adjective')} ${patient.sex === 'F' ? 'woman' : 'gentleman'}` : labelled`the patient is ${age(rng, patient.age, 'spoken')}`} with ${diagnosis.name} comma who reports ${rng.pick(CHIEF_COMPLAINTS)} period. ${patient.sex === 'F' ? 'She' : 'He'} lives at ${phi('FACILITY', cast.residence.name)} in ${phi('LOCATION', patient.address.place.city)} period. ${labMention(rng)} period.`,
    '',
    labelled`Medications colon ${medicationLines(rng, 2).join(' comma ')} period.`,
    '',
    labelled`Assessment and plan colon ${diagnosis.name} comma ICD ${diagnosis.icd10} period. Continue current therapy period. Please send a copy to ${clinicianName(rng, cast.pcp)} at ${facilityName(cast.clinic)} comma fax ${phone(rng, cast.clinic.fax, 'FAX')} period.`,
    '',
    labelled`End of dictation. Job number ${phi('ID', cast.ids.encounter)}.`,
  );
}
