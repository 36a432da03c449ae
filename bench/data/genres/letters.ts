/** Correspondence: referral letters, prior-authorization requests and claim appeals, with letterheads and cc lines. */
import { DIAGNOSES, PROCEDURES } from '../clinical-vocabulary.ts';
import { type LabelledText, labelled, lines, phi } from '../labelled-text.ts';
import {
  addressBlock,
  addressOneLine,
  age,
  clinicianName,
  date,
  fullDate,
  mbiText,
  name,
  personalTitle,
  phone,
  withArticle,
} from '../phi-formats.ts';
import { addDays, type Cast, type Clinician } from '../synthetic-cast.ts';
import { diagnosisLine, facilityName, labMention, letterhead, medicationLines } from './clinical-sections.ts';

const letterDate = (cast: Cast) =>
  date(cast.rng, cast.visit, { styles: ['Month d, yyyy', 'mm/dd/yyyy', 'd Month yyyy', 'Mon d, yyyy'] });

function signatureLines(cast: Cast, clinician: Clinician): LabelledText {
  const { rng } = cast;
  return lines(
    rng.pick(['Sincerely,', 'Respectfully,', 'Best regards,', 'Thank you,']),
    '',
    clinicianName(rng, clinician, 'signature'),
    clinician.specialty === 'Family Medicine' ? facilityName(cast.clinic) : clinician.specialty,
    rng.chance(0.7) &&
      labelled`NPI ${phi('LICENSE', clinician.npi)}${rng.chance(0.4) ? labelled` | State license ${phi('LICENSE', clinician.stateLicense)}` : ''}`,
    rng.chance(0.5) && labelled`${phi('EMAIL', clinician.email)}`,
  );
}

export function referralLetter(cast: Cast): LabelledText {
  const { rng, patient, specialist, pcp } = cast;
  const diagnosis = rng.pick(DIAGNOSES);
  const pronoun = patient.sex === 'F' ? 'she' : 'he';
  return lines(
    letterhead(cast, cast.clinic),
    '',
    letterDate(cast),
    '',
    labelled`${clinicianName(rng, specialist, 'signature')}`,
    specialist.specialty,
    facilityName(cast.hospital),
    addressBlock(rng, cast.hospital.address),
    '',
    labelled`RE: ${name(rng, patient, ['full', 'first-last', 'upper-full'])}   DOB: ${fullDate(rng, patient.dob)}   MRN: ${phi('MRN', patient.mrn)}`,
    labelled`Insurance: ${patient.insurer}, Member ID ${phi('HEALTH_PLAN', patient.memberId)}`,
    '',
    labelled`Dear Dr. ${phi('NAME', specialist.last)},`,
    '',
    labelled`Thank you for seeing ${personalTitle(patient)} ${phi('NAME', patient.last)}, a ${age(rng, patient.age, 'adjective')} ${patient.sex === 'F' ? 'woman' : 'man'} I am referring for evaluation of ${diagnosisLine(rng, diagnosis)}. Symptoms began in ${date(rng, cast.priorVisit, { styles: ['Month yyyy', 'mm/yyyy', 'Mon yyyy'] })} and have progressed despite ${medicationLines(rng, 1)[0] ?? 'therapy'}. Most recent ${labMention(rng)}.`,
    '',
    labelled`${pronoun === 'she' ? 'She' : 'He'} can be reached at ${phone(rng, patient.cellPhone)} or ${phi('EMAIL', patient.email)}; ${pronoun} prefers appointments after ${rng.int(1, 4)} pm because ${pronoun} works as ${withArticle(phi('PROFESSION', patient.profession))}. Records are enclosed; please fax your consult note to ${phone(rng, cast.clinic.fax, 'FAX')}.`,
    '',
    signatureLines(cast, pcp),
    '',
    labelled`cc: ${name(rng, patient, ['first-last', 'full'])}; Dr. ${phi('NAME', cast.nurse.last)}, ${facilityName(cast.residence)}`,
    'Enclosures: problem list, medication list, last 3 BMPs',
  );
}

export function priorAuthLetter(cast: Cast): LabelledText {
  const { rng, patient, pcp } = cast;
  const procedure = rng.pick(PROCEDURES);
  const medicare = patient.insurer.startsWith('Medicare') || rng.chance(0.3);
  return lines(
    letterhead(cast, cast.clinic),
    '',
    letterDate(cast),
    '',
    `${patient.insurer} - Utilization Management`,
    labelled`Fax: ${phone(rng, cast.payer.fax, 'FAX')}`,
    '',
    `RE: Prior Authorization Request - ${procedure.name} (CPT ${procedure.cpt})`,
    labelled`Member: ${name(rng, patient, ['full', 'last-first', 'upper-last-first'])}   DOB: ${fullDate(rng, patient.dob)}`,
    labelled`Member ID: ${phi('HEALTH_PLAN', patient.memberId)}   Group #: ${phi('HEALTH_PLAN', patient.groupNumber)}`,
    medicare && labelled`Medicare MBI: ${phi('HEALTH_PLAN', mbiText(rng, patient.mbi))}`,
    rng.chance(0.3) && labelled`Medicaid ID (secondary): ${phi('HEALTH_PLAN', patient.medicaidId)}`,
    labelled`Reference #: ${phi('ID', cast.ids.priorAuth)}`,
    '',
    rng.pick(['To Whom It May Concern:', 'Dear Medical Director:', 'Dear Reviewer,']),
    '',
    labelled`I am requesting authorization of ${procedure.name} for my patient, seen on ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'Month d, yyyy'] })}. Diagnoses: ${diagnosisLine(rng, rng.pick(DIAGNOSES))}; ${diagnosisLine(rng, rng.pick(DIAGNOSES))}. Conservative therapy since ${rng.int(2016, 2023)} has failed, including physical therapy (97110) and ${medicationLines(rng, 1)[0] ?? 'NSAIDs'}.`,
    '',
    labelled`Rendering facility: ${facilityName(cast.hospital)}, ${addressOneLine(rng, cast.hospital.address)}`,
    labelled`Ordering provider: ${clinicianName(rng, pcp, 'signature')}, NPI ${phi('LICENSE', pcp.npi)}, DEA ${phi('LICENSE', pcp.dea)}`,
    labelled`Questions: ${phone(rng, cast.clinic.phone)} (office) or ${phi('EMAIL', pcp.email)}.`,
    '',
    signatureLines(cast, pcp),
  );
}

export function appealLetter(cast: Cast): LabelledText {
  const { rng, patient, pcp } = cast;
  const procedure = rng.pick(PROCEDURES);
  const denial = cast.followUp;
  const written = addDays(denial, rng.int(5, 40));
  return lines(
    rng.chance(0.6) && lines(letterhead(cast, cast.clinic), ''),
    date(rng, written, { styles: ['Month d, yyyy', 'mm/dd/yyyy', 'd Month yyyy', 'Mon d, yyyy'] }),
    '',
    `Appeals Department, ${patient.insurer}`,
    addressBlock(rng, cast.payer.address),
    '',
    labelled`RE: Appeal of denied claim ${phi('ID', cast.ids.claim)}`,
    labelled`Patient: ${name(rng, patient, ['full', 'last-first'])}   DOB: ${fullDate(rng, patient.dob)}`,
    labelled`Policy #: ${phi('HEALTH_PLAN', patient.memberId)}   Group: ${phi('HEALTH_PLAN', patient.groupNumber)}`,
    labelled`Date of service: ${fullDate(rng, cast.visit)}   Denial letter dated: ${date(rng, denial)}`,
    labelled`Patient account: ${phi('ACCOUNT', patient.accountNumber)}`,
    '',
    'Dear Appeals Reviewer,',
    '',
    labelled`On behalf of ${possessiveOrName(cast)}, I appeal the denial of ${procedure.name} (CPT ${procedure.cpt}, ICD-10 ${rng.pick(DIAGNOSES).icd10}). The denial cited lack of medical necessity; however, the patient, a ${age(rng, patient.age, 'adjective')} with ${rng.pick(DIAGNOSES).name}, meets criteria (see notes from ${date(rng, cast.priorVisit)} and ${date(rng, cast.visit)}).`,
    '',
    rng.chance(0.5)
      ? labelled`The patient paid a deposit with card ${phi('ACCOUNT', cast.patient.cardNumber)} and requests a refund to that card if the appeal succeeds.`
      : labelled`Please send the decision to the patient at ${addressBlock(rng, patient.address)} and to our office.`,
    '',
    signatureLines(cast, pcp),
    labelled`cc: ${name(rng, patient, ['full', 'first-last'])}`,
  );
}

function possessiveOrName(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  return rng.chance(0.5)
    ? labelled`my patient ${name(rng, patient, ['first-last', 'title-last'])}`
    : labelled`${personalTitle(patient)} ${phi('NAME', patient.last)}`;
}
