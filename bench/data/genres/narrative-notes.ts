/** Free-text clinical notes: SOAP progress notes, discharge summaries, ED notes, nursing notes, phone messages. */
import { CHIEF_COMPLAINTS, DIAGNOSES, PROCEDURES } from '../clinical-vocabulary.ts';
import { type Fragment, type LabelledText, labelled, lines, phi } from '../labelled-text.ts';
import {
  addressOneLine,
  age,
  casualPhone,
  clinicianName,
  clockTime,
  date,
  fullDate,
  name,
  personalTitle,
  phone,
  possessive,
  ssnText,
  withArticle,
} from '../phi-formats.ts';
import { addDays, type Cast } from '../synthetic-cast.ts';
import {
  distractorSentence,
  examFindings,
  facilityName,
  familyHistory,
  labMention,
  medicationLines,
  problemList,
  signatureBlock,
  socialHistory,
  vitals,
} from './clinical-sections.ts';

const noun = (cast: Cast) =>
  cast.patient.sex === 'F' ? cast.rng.pick(['woman', 'female', 'F']) : cast.rng.pick(['man', 'male', 'M']);
const subject = (cast: Cast) => (cast.patient.sex === 'F' ? 'She' : 'He');
const possessivePronoun = (cast: Cast) => (cast.patient.sex === 'F' ? 'her' : 'his');

function patientHeader(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const nameField = name(rng, patient, ['full', 'last-first', 'upper-last-first', 'first-last']);
  const mrnWord = rng.pick(['MRN', 'MR#', 'Med Rec #', 'Medical Record No.', 'Chart #']);
  return rng.pick([
    () =>
      labelled`Patient: ${nameField}    DOB: ${fullDate(rng, patient.dob)}    ${mrnWord}: ${phi('MRN', patient.mrn)}`,
    () =>
      lines(
        labelled`Name: ${nameField}`,
        labelled`DOB: ${fullDate(rng, patient.dob)} (${age(rng, patient.age)})`,
        labelled`${mrnWord} ${phi('MRN', patient.mrn)}`,
      ),
    () =>
      labelled`${nameField} | ${patient.sex} | ${fullDate(rng, patient.dob)} | ${mrnWord} ${phi('MRN', patient.mrn)}`,
  ])();
}

/** An HPI sentence that mentions a device, a relative, a prior stay or a vehicle, each with its identifiers. */
function hpiDetail(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const device = patient.device;
  return rng.pick([
    () =>
      labelled`${subject(cast)} has a ${device.kind} (${device.model}, serial ${phi('DEVICE', device.serial)}) placed ${date(rng, cast.priorVisit)}.`,
    () =>
      labelled`${possessive(rng, patient)} ${patient.relative.relation}, ${name(rng, patient.relative, ['first', 'first-last'])}, reports more confusion at home.`,
    () =>
      labelled`Was admitted to ${facilityName(cast.hospital)} in ${date(rng, cast.priorVisit, { styles: ['Month yyyy', 'mm/yyyy', 'Mon yyyy'] })} for ${rng.pick(DIAGNOSES).name}.`,
    () =>
      labelled`Last seen by ${clinicianName(rng, cast.specialist)} (${cast.specialist.specialty}) on ${date(rng, cast.priorVisit)}.`,
    () =>
      labelled`${subject(cast)} drives a ${patient.vehicle.description} and asks about a disabled placard for plate ${phi('VEHICLE', patient.vehicle.plate)}.`,
    () =>
      labelled`Recently moved from ${phi('LOCATION', cast.payer.address.place.city)} to be closer to ${possessivePronoun(cast)} ${patient.relative.relation}.`,
  ])();
}

export function soapNote(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const dx = rng.sample(DIAGNOSES, 2);
  const title = rng.pick(['PROGRESS NOTE', 'Office Visit', 'CLINIC NOTE', 'Follow-up Visit']);
  return lines(
    rng.chance(0.5) ? facilityName(cast.clinic, 'upper') : null,
    title,
    patientHeader(cast),
    labelled`Date of service: ${date(rng, cast.visit, { weekdayChance: 0.2 })}    Provider: ${clinicianName(rng, cast.pcp)}`,
    rng.chance(0.3) && labelled`Encounter #: ${phi('ID', cast.ids.encounter)}`,
    '',
    labelled`S: ${age(rng, patient.age, 'adjective')} ${noun(cast)} with ${dx[0]?.name ?? 'hypertension'} and ${dx[1]?.name ?? 'GERD'} here for follow-up. ${hpiDetail(cast)} ${distractorSentence(rng)}`,
    labelled`Social: ${socialHistory(cast)}`,
    rng.chance(0.5) && labelled`FH: ${familyHistory(cast)}`,
    `O: ${vitals(rng)}`,
    examFindings(rng),
    labelled`Labs ${date(rng, cast.priorVisit, { styles: ['m/d/yyyy', 'mm/dd/yy', 'm/d'] })}: ${labMention(rng)}; ${labMention(rng)}.`,
    'A/P:',
    problemList(rng, rng.int(2, 4)),
    `- ${medicationLines(rng, 1)[0] ?? 'continue current medications'}`,
    labelled`- Refer to ${clinicianName(rng, cast.specialist)} at ${facilityName(cast.hospital)}, ${phone(rng, cast.hospital.phone)}.`,
    labelled`- RTC ${rng.pick(['on', 'for recheck', 'around'])} ${date(rng, cast.followUp)}. ${distractorSentence(rng)}`,
    '',
    signatureBlock(cast, cast.pcp, cast.visit),
  );
}

export function dischargeSummary(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const admit = cast.visit;
  const discharge = addDays(admit, rng.int(1, 6));
  const procedure = rng.pick(PROCEDURES);
  const attending = cast.specialist;
  return lines(
    facilityName(cast.hospital, 'upper'),
    'DISCHARGE SUMMARY',
    labelled`Patient Name: ${name(rng, patient, ['upper-last-first', 'last-first', 'full'])}     MRN: ${phi('MRN', patient.mrn)}     Acct #: ${phi('ACCOUNT', patient.accountNumber)}`,
    labelled`DOB: ${fullDate(rng, patient.dob)}     Sex: ${patient.sex}     ${age(rng, patient.age, 'field')}`,
    labelled`Admission Date: ${fullDate(rng, admit)}     Discharge Date: ${fullDate(rng, discharge)}`,
    labelled`Attending: ${clinicianName(rng, attending, 'signature')}     PCP: ${clinicianName(rng, cast.pcp)} (${facilityName(cast.clinic)})`,
    '',
    'DISCHARGE DIAGNOSES:',
    problemList(rng, rng.int(2, 5)),
    '',
    'HOSPITAL COURSE:',
    labelled`${personalTitle(patient)} ${phi('NAME', patient.last)} is a ${age(rng, patient.age, 'adjective')} ${noun(cast)} from ${rng.chance(0.5) ? phi('FACILITY', cast.residence.name) : phi('LOCATION', patient.address.place.city)} who presented on ${date(rng, admit, { styles: ['m/d', 'Month dth', 'mm/dd/yyyy'] })} with ${rng.pick(CHIEF_COMPLAINTS)}. ${labMention(rng)}. ${procedure.name} (CPT ${procedure.cpt}) on ${date(rng, discharge, { styles: ['m/d', 'm/d/yyyy'] })} was unremarkable. ${distractorSentence(rng)}`,
    labelled`${subject(cast)} has a ${patient.device.kind}; device ID ${phi('DEVICE', patient.device.udi)} was interrogated by the vendor with normal function.`,
    labelled`Family meeting held with ${possessivePronoun(cast)} ${patient.relative.relation} ${name(rng, patient.relative, ['first-last', 'title-last'])} (${phone(rng, patient.relative.phone)}), who is the health care proxy.`,
    '',
    'DISCHARGE MEDICATIONS:',
    ...medicationLines(rng, rng.int(3, 6)).map((line) => `- ${line}`),
    '',
    labelled`FOLLOW-UP: ${clinicianName(rng, cast.pcp)}, ${facilityName(cast.clinic)}, ${addressOneLine(rng, cast.clinic.address)}, ${phone(rng, cast.clinic.phone)}, on ${date(rng, cast.followUp, { weekdayChance: 0.3 })} at ${clockTime(rng)}.`,
    labelled`Dictated by: ${clinicianName(rng, attending, 'signature')}   D: ${date(rng, discharge, { styles: ['mm/dd/yyyy', 'mm/dd/yy'] })}   T: ${date(rng, discharge, { styles: ['mm/dd/yyyy', 'mm/dd/yy'] })}   Job #: ${phi('ID', cast.ids.order.replace('ORD', ''))}`,
  );
}

export function edNote(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const mvc = rng.chance(0.6);
  const complaint = mvc ? 'motor vehicle collision' : rng.pick(CHIEF_COMPLAINTS);
  const vehicle = patient.vehicle;
  const hpi: Fragment = mvc
    ? labelled`${age(rng, patient.age, 'adjective')} ${noun(cast)}, restrained driver of a ${vehicle.description} (${rng.pick(['VIN', 'VIN#', 'vehicle ID'])} ${phi('VEHICLE', vehicle.vin)}, ${rng.pick(['plate', 'tag', 'lic plate'])} ${patient.address.place.state} ${phi('VEHICLE', vehicle.plate)}) struck on the passenger side at ~35 mph. Airbags deployed. Police report ${phi('ID', cast.ids.caseNumber.replace('WC', 'PR'))}.`
    : labelled`${age(rng, patient.age, 'adjective')} ${noun(cast)} with ${complaint} since ${rng.pick(['this morning', 'yesterday', 'Tuesday'])}. ${rng.chance(0.5) ? labelled`Injured at work as ${withArticle(phi('PROFESSION', patient.profession))}; workers' comp claim ${phi('ID', cast.ids.caseNumber)}.` : hpiDetail(cast)}`;
  return lines(
    labelled`EMERGENCY DEPARTMENT NOTE - ${facilityName(cast.hospital)}`,
    labelled`Arrival: ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'm/d/yyyy', 'yyyy-mm-dd'] })} ${clockTime(rng)}   Mode: ${rng.pick(['EMS (Medic 12)', 'private vehicle', 'walk-in', 'EMS'])}   ESI: ${rng.int(2, 4)}`,
    patientHeader(cast),
    `CC: ${complaint}`,
    labelled`HPI: ${hpi} ${distractorSentence(rng)}`,
    `PMH: ${rng
      .sample(DIAGNOSES, 3)
      .map((d) => d.name)
      .join('; ')}`,
    `Exam: ${vitals(rng)}. ${examFindings(rng)}`,
    `ED course: ${labMention(rng)}. ${labMention(rng)}. CT head negative. ${distractorSentence(rng)}`,
    labelled`Emergency contact: ${name(rng, patient.relative, ['first-last', 'last-first'])} (${patient.relative.relation}) ${phone(rng, patient.relative.phone)}`,
    labelled`Dispo: ${rng.pick([labelled`admitted to ${phi('FACILITY', cast.hospital.name)} telemetry`, labelled`discharged home to ${addressOneLine(rng, patient.address)}`, labelled`transferred to ${phi('FACILITY', cast.residence.name)}`])}.`,
    signatureBlock(cast, cast.specialist, cast.visit),
  );
}

export function nursingNote(cast: Cast): LabelledText {
  const { rng, patient, nurse } = cast;
  const entries = Array.from({ length: rng.int(2, 4) }, () =>
    rng.pick([
      () => labelled`${clockTime(rng)}: Pt resting in bed, ${vitals(rng)}. ${distractorSentence(rng)}`,
      () =>
        labelled`${clockTime(rng)}: ${possessive(rng, patient.relative)} request: call ${patient.relative.sex === 'F' ? 'her' : 'him'} at ${phone(rng, patient.relative.phone)} with any changes.`,
      () =>
        labelled`${clockTime(rng)}: Belongings: ${patient.device.kind}, serial ${phi('DEVICE', patient.device.serial)}, glasses, phone. Stored in locker.`,
      () =>
        labelled`${clockTime(rng)}: ${medicationLines(rng, 1)[0] ?? 'meds'} given. Foley draining clear yellow urine.`,
      () =>
        labelled`${clockTime(rng)}: Pt states "my ${patient.relative.relation} ${phi('NAME', patient.relative.first)} is coming from ${phi('LOCATION', cast.payer.address.place.city)} tomorrow."`,
      () => labelled`${clockTime(rng)}: Dr. ${phi('NAME', cast.specialist.last)} at bedside, plan discussed.`,
    ])(),
  );
  const signOff = rng.pick([
    () => labelled`${phi('NAME', `${nurse.first.charAt(0)}. ${nurse.last}`)}, ${nurse.credential}`,
    () =>
      labelled`${phi('NAME', `${nurse.first} ${nurse.last.charAt(0)}.`)}, ${nurse.credential.split(',').at(-1)?.trim() ?? 'RN'}`,
    () =>
      labelled`${phi('NAME', `${nurse.first} ${nurse.last}`)} ${nurse.credential.split(',').at(-1)?.trim() ?? 'RN'}, license ${phi('LICENSE', nurse.stateLicense)}`,
  ])();
  return lines(
    labelled`NURSING NOTE  ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'm/d/yyyy'] })}  Room ${rng.int(2, 9)}${rng.digits(2)}${rng.pick(['A', 'B', ''])}`,
    labelled`Patient: ${name(rng, patient, ['last-first', 'full', 'upper-full'])}  (${age(rng, patient.age)})  MRN ${phi('MRN', patient.mrn)}`,
    ...entries,
    signOff,
  );
}

export function telephoneEncounter(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const callerIsPatient = rng.chance(0.5);
  const caller = callerIsPatient
    ? labelled`${name(rng, patient, ['first-last', 'full'])} (self)`
    : labelled`${name(rng, patient.relative, ['first-last', 'full'])} (${patient.relative.relation})`;
  const last4 = patient.ssn.slice(5);
  return lines(
    labelled`TELEPHONE ENCOUNTER   ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'm/d/yyyy'] })} ${clockTime(rng)}`,
    labelled`Caller: ${caller}   Callback: ${casualPhone(rng, callerIsPatient ? patient.cellPhone : patient.relative.phone)}`,
    labelled`Re: ${name(rng, patient, ['full', 'last-first'])}, DOB ${fullDate(rng, patient.dob)}`,
    rng.pick([
      () => labelled`Identity verified with DOB and last four of SSN (${phi('SSN', last4)}).`,
      () => labelled`Identity verified with DOB and SSN ${phi('SSN', ssnText(rng, patient.ssn))}.`,
      () => labelled`Identity verified with DOB and address (${addressOneLine(rng, patient.address)}).`,
    ])(),
    labelled`Reason: requests refill of ${medicationLines(rng, 1)[0] ?? 'medication'}. Rx# ${phi('ID', cast.ids.prescription)} at ${phi('FACILITY', cast.pharmacy.name)}, ${phone(rng, cast.pharmacy.phone)}.`,
    rng.chance(0.5) && labelled`Also reports ${rng.pick(CHIEF_COMPLAINTS)}; ${distractorSentence(rng)}`,
    labelled`Routed to ${clinicianName(rng, cast.pcp)}. -- ${phi('NAME', `${cast.nurse.first} ${cast.nurse.last}`)}, ${cast.nurse.credential}`,
  );
}
