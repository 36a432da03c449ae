/** Semi-structured records: HL7 v2 messages, CSV extracts, lab reports and medication lists. */
import { ALLERGIES, DIAGNOSES, LAB_TESTS, MEDICATIONS } from '../clinical-vocabulary.ts';
import { type Fragment, join, type LabelledText, labelled, lines, phi } from '../labelled-text.ts';
import {
  addressOneLine,
  age,
  clinicianName,
  clockTime,
  date,
  dateText,
  fullDate,
  name,
  phone,
  phoneText,
  ssnText,
} from '../phi-formats.ts';
import { SeededRandom } from '../seeded-random.ts';
import { addDays, type Cast, castFor, type Patient } from '../synthetic-cast.ts';
import { facilityName, labValue } from './clinical-sections.ts';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** HL7 DTM with a time: the whole token is one DATE span (the date cannot be cut out of it). */
function hl7Timestamp(cast: Cast): LabelledText {
  const { rng, visit } = cast;
  return phi(
    'DATE',
    `${dateText(visit, 'yyyymmdd')}${pad2(rng.int(0, 23))}${pad2(rng.int(0, 59))}${rng.chance(0.5) ? pad2(rng.int(0, 59)) : ''}`,
  );
}

const hl7Phone = (digits: string) => `(${digits.slice(0, 3)})${digits.slice(3, 6)}-${digits.slice(6)}`;

export function hl7Message(cast: Cast): LabelledText {
  const { rng, patient, pcp } = cast;
  const clinicCode = phi('FACILITY', cast.clinic.name.toUpperCase());
  const address = patient.address;
  const eventType = rng.pick(['ADT^A04', 'ADT^A08', 'ORU^R01', 'SIU^S12']);
  const relationCode =
    patient.relative.sex === 'F' ? rng.pick(['SPO', 'CHD', 'MTH', 'SIS']) : rng.pick(['SPO', 'CHD', 'FTH', 'BRO']);
  const segments: Fragment[] = [
    labelled`MSH|^~\\&|EPIC|${clinicCode}|LAB|${phi('FACILITY', cast.lab.name.toUpperCase())}|${hl7Timestamp(cast)}||${eventType}|${phi('ID', cast.ids.messageControl)}|P|2.5.1`,
    labelled`EVN|${eventType.split('^')[1] ?? 'A04'}|${hl7Timestamp(cast)}`,
    labelled`PID|1||${phi('MRN', patient.mrn)}^^^${clinicCode}^MR~${phi('SSN', patient.ssn)}^^^SSA^SS||${phi('NAME', patient.last.toUpperCase())}^${phi('NAME', patient.first.toUpperCase())}||${phi('DATE', dateText(patient.dob, 'yyyymmdd'))}|${patient.sex}||2106-3|${phi('ADDRESS', address.street.toUpperCase())}^${address.unit ? phi('ADDRESS', address.unit.toUpperCase()) : ''}^${phi('LOCATION', address.place.city.toUpperCase())}^${address.place.state}^${phi('ZIP', address.zip)}^USA||${phi('PHONE', hl7Phone(patient.homePhone))}^PRN^PH~^NET^Internet^${phi('EMAIL', patient.email)}|${phi('PHONE', hl7Phone(patient.workPhone))}^WPN^PH||M||${phi('ACCOUNT', patient.accountNumber)}|${phi('SSN', patient.ssn)}|${phi('LICENSE', patient.driversLicense)}^${address.place.state}`,
    labelled`NK1|1|${phi('NAME', patient.relative.last.toUpperCase())}^${phi('NAME', patient.relative.first.toUpperCase())}|${relationCode}|${phi('ADDRESS', address.street.toUpperCase())}^^${phi('LOCATION', address.place.city.toUpperCase())}^${address.place.state}^${phi('ZIP', address.zip)}|${phi('PHONE', hl7Phone(patient.relative.phone))}`,
    labelled`PV1|1|O|${clinicCode}^^^||||${phi('LICENSE', pcp.npi)}^${phi('NAME', pcp.last.toUpperCase())}^${phi('NAME', pcp.first.toUpperCase())}^^^^MD|||||||||||${phi('ID', cast.ids.encounter)}|||||||||||||||||||||||||${hl7Timestamp(cast)}`,
    labelled`IN1|1|${rng.pick(['BCBS', 'AETNA', 'UHC', 'MCR', 'MCD'])}|${rng.digits(5)}|${patient.insurer.toUpperCase()}|||||${phi('HEALTH_PLAN', patient.groupNumber)}||||||||||||||||||||||||||${phi('HEALTH_PLAN', patient.memberId)}`,
  ];
  if (eventType === 'ORU^R01') {
    const tests = rng.sample(LAB_TESTS, rng.int(2, 4));
    segments.push(
      labelled`OBR|1|${phi('ID', cast.ids.order)}|${phi('ID', cast.ids.accession)}|${rng.pick(['CMP', 'CBC', 'LIPID', 'A1C'])}|||${hl7Timestamp(cast)}`,
      ...tests.map(
        (test, i) =>
          `OBX|${i + 1}|NM|${test.loinc}^${test.name}^LN||${labValue(rng, test)}|${test.unit}|${test.reference}|N|||F`,
      ),
    );
  }
  if (eventType === 'SIU^S12') {
    segments.push(
      labelled`AIL|1||${clinicCode}^EXAM ${rng.int(1, 12)}|||${phi('DATE', `${dateText(cast.followUp, 'yyyymmdd')}${pad2(rng.int(8, 16))}00`)}`,
    );
  }
  // Real feeds separate segments with carriage returns; exports and pasted messages usually show newlines.
  return join(segments, rng.chance(0.3) ? '\r' : '\n');
}

function csvRow(patient: Patient, rng: SeededRandom, visit: Cast['visit'], columns: readonly string[]): LabelledText {
  const cells: Record<string, () => Fragment> = {
    mrn: () => phi('MRN', patient.mrn),
    last_name: () => phi('NAME', patient.last),
    first_name: () => phi('NAME', patient.first),
    name: () => labelled`"${phi('NAME', patient.last)}, ${phi('NAME', patient.first)}"`,
    dob: () => phi('DATE', dateText(patient.dob, rng.pick(['yyyy-mm-dd', 'mm/dd/yyyy', 'm/d/yyyy'] as const))),
    age: () => (patient.age >= 90 ? phi('AGE', String(patient.age)) : String(patient.age)),
    sex: () => patient.sex,
    phone: () => phi('PHONE', phoneText(rng, patient.cellPhone)),
    email: () => phi('EMAIL', patient.email),
    zip: () => phi('ZIP', patient.address.zip),
    city: () => phi('LOCATION', patient.address.place.city),
    state: () => patient.address.place.state,
    ssn: () => phi('SSN', ssnText(rng, patient.ssn)),
    member_id: () => phi('HEALTH_PLAN', patient.memberId),
    mbi: () => phi('HEALTH_PLAN', patient.mbi),
    account: () => phi('ACCOUNT', patient.accountNumber),
    last_visit: () => phi('DATE', dateText(visit, rng.pick(['yyyy-mm-dd', 'mm/dd/yyyy'] as const))),
    a1c: () => (5 + rng.next() * 5).toFixed(1),
    sbp: () => String(rng.int(100, 180)),
    dx: () => rng.pick(DIAGNOSES).icd10,
    device_serial: () => phi('DEVICE', patient.device.serial),
  };
  return join(
    columns.map((column) => cells[column]?.() ?? ''),
    ',',
  );
}

const CSV_LAYOUTS: readonly (readonly string[])[] = [
  ['mrn', 'last_name', 'first_name', 'dob', 'sex', 'phone', 'zip', 'last_visit', 'a1c', 'dx'],
  ['name', 'dob', 'age', 'city', 'state', 'zip', 'member_id', 'sbp', 'dx'],
  ['mrn', 'name', 'ssn', 'email', 'account', 'last_visit'],
  ['last_name', 'first_name', 'dob', 'age', 'mbi', 'phone', 'device_serial', 'dx'],
];

export function csvExtract(cast: Cast): LabelledText {
  const { rng } = cast;
  const columns = rng.pick(CSV_LAYOUTS);
  const rows = Array.from({ length: rng.int(4, 10) }, (_, i) => {
    const rowCast = i === 0 ? cast : castFor(new SeededRandom(`${rng.digits(12)}/row`));
    return csvRow(rowCast.patient, rng, rowCast.visit, columns);
  });
  return lines(
    labelled`# ${facilityName(cast.clinic)} ${rng.pick(['diabetes registry', 'care gaps', 'AWV outreach', 'device clinic'])} export, run ${date(rng, cast.visit, { styles: ['yyyy-mm-dd', 'mm/dd/yyyy'] })} by ${phi('ID', `${cast.nurse.first.charAt(0).toLowerCase()}${cast.nurse.last.toLowerCase().replace(/[^a-z]/g, '')}`)}`,
    columns.join(','),
    ...rows,
  );
}

/** H/L against the printed reference range ("a-b", "<x" or ">x"). */
function abnormalFlag(value: number, reference: string): string {
  const [low, high] = reference.startsWith('<')
    ? [Number.NEGATIVE_INFINITY, Number(reference.slice(1))]
    : reference.startsWith('>')
      ? [Number(reference.slice(1)), Number.POSITIVE_INFINITY]
      : reference.split('-').map(Number);
  if (low !== undefined && value < low) return 'L';
  if (high !== undefined && value > high) return 'H';
  return ' ';
}

export function labReport(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const collected = cast.visit;
  const reported = addDays(collected, rng.int(0, 2));
  const tests = rng.sample(LAB_TESTS, rng.int(4, 9));
  const widest = Math.max(...tests.map((t) => t.name.length)) + 2;
  const results = tests.map((test) => {
    const value = labValue(rng, test);
    const flag = abnormalFlag(Number(value), test.reference);
    return `${test.name.padEnd(widest)}${value.padEnd(9)}${flag}  ${test.unit.padEnd(15)}${test.reference.padEnd(12)}${test.loinc}`;
  });
  const clia = `${rng.digits(2)}D${rng.digits(7)}`;
  return lines(
    labelled`${facilityName(cast.lab, 'upper')}                CLIA #: ${phi('LICENSE', clia)}`,
    labelled`${addressOneLine(rng, cast.lab.address)}   Phone ${phone(rng, cast.lab.phone)}`,
    labelled`Laboratory Director: ${clinicianName(rng, cast.specialist, 'signature')}`,
    '',
    labelled`PATIENT: ${name(rng, patient, ['upper-last-first', 'last-first'])}     DOB: ${fullDate(rng, patient.dob)}     ${age(rng, patient.age, 'field')}     SEX: ${patient.sex}`,
    labelled`MRN: ${phi('MRN', patient.mrn)}     ACCOUNT: ${phi('ACCOUNT', patient.accountNumber)}`,
    labelled`ACCESSION: ${phi('ID', cast.ids.accession)}     SPECIMEN: ${phi('ID', cast.ids.specimen)}`,
    labelled`COLLECTED: ${date(rng, collected, { styles: ['mm/dd/yyyy', 'mm/dd/yy', 'dd-Mon-yyyy'] })} ${clockTime(rng)}   REPORTED: ${date(rng, reported, { styles: ['mm/dd/yyyy', 'mm/dd/yy', 'dd-Mon-yyyy'] })} ${clockTime(rng)}`,
    labelled`ORDERING: ${clinicianName(rng, cast.pcp, 'signature')} (NPI ${phi('LICENSE', cast.pcp.npi)})   ${facilityName(cast.clinic)}`,
    '',
    `${'TEST'.padEnd(widest)}${'RESULT'.padEnd(9)}FLAG ${'UNITS'.padEnd(14)}${'REF RANGE'.padEnd(12)}LOINC`,
    ...results,
    '',
    rng.chance(0.6)
      ? labelled`Comment: Critical value called to ${phi('NAME', `${cast.nurse.first} ${cast.nurse.last}`)}, ${cast.nurse.credential.split(',').at(-1)?.trim() ?? 'RN'} at ${clockTime(rng)} on ${date(rng, reported, { styles: ['mm/dd/yyyy', 'm/d'] })}, read back verified.`
      : 'Comment: Specimen slightly hemolyzed; potassium may be falsely elevated.',
    labelled`Performed at ${facilityName(cast.lab)}. Questions: ${phone(rng, cast.lab.phone)}.`,
  );
}

export function medicationList(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const prescribers = [cast.pcp, cast.specialist];
  const medications = rng.sample(MEDICATIONS, rng.int(4, 9));
  const rows = medications.map((medication, i) => {
    const prescriber = rng.pick(prescribers);
    const filled = addDays(cast.visit, -rng.int(3, 90));
    return labelled`${i + 1} | ${medication.name} | ${medication.sig} | ${clinicianName(rng, prescriber)} | ${date(rng, filled, { styles: ['mm/dd/yyyy', 'mm/dd/yy'] })} | ${rng.chance(0.7) ? labelled`Rx ${phi('ID', `${rng.int(1, 9)}${rng.digits(6)}`)}` : `NDC ${medication.ndc}`}`;
  });
  return lines(
    labelled`MEDICATION LIST - ${name(rng, patient, ['full', 'last-first', 'upper-full'])} (DOB ${fullDate(rng, patient.dob)})   Printed ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'Month d, yyyy'] })}`,
    labelled`Preferred pharmacy: ${facilityName(cast.pharmacy)}, ${addressOneLine(rng, cast.pharmacy.address)}, ${phone(rng, cast.pharmacy.phone)}`,
    `Allergies: ${rng.sample(ALLERGIES, rng.int(1, 2)).join(', ')}`,
    '# | Medication | Sig | Prescriber | Last filled | Rx / NDC',
    ...rows,
    rng.chance(0.5) && labelled`Controlled substance prescriber DEA: ${phi('LICENSE', cast.pcp.dea)}`,
    labelled`Reconciled by ${phi('NAME', `${cast.nurse.first} ${cast.nurse.last}`)}, ${cast.nurse.credential} on ${date(rng, cast.visit, { styles: ['mm/dd/yyyy', 'm/d/yyyy'] })}. Patient (${age(rng, patient.age)}) ${rng.pick(['uses pill organizer', 'daughter manages meds', 'independent with meds'])}.`,
  );
}
