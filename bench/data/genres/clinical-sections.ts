/** Sections most notes share (vitals, problems, medications, histories, signatures), with their distractors. */
import {
  DIAGNOSES,
  type Diagnosis,
  EPONYMOUS_FINDINGS,
  LAB_TESTS,
  type LabTest,
  MEDICATIONS,
} from '../clinical-vocabulary.ts';
import { type Fragment, join, type LabelledText, labelled, lines, phi } from '../labelled-text.ts';
import {
  addressBlock,
  addressOneLine,
  clinicianName,
  clockTime,
  date,
  name,
  phone,
  withArticle,
} from '../phi-formats.ts';
import type { SeededRandom } from '../seeded-random.ts';
import type { CalendarDate, Cast, Clinician, Facility } from '../synthetic-cast.ts';

export function vitals(rng: SeededRandom): string {
  const systolic = rng.int(98, 178);
  const diastolic = rng.int(58, 104);
  const pulse = rng.int(52, 118);
  const tempF = (97 + rng.next() * 4).toFixed(1);
  const spo2 = rng.int(88, 100);
  const kg = (48 + rng.next() * 70).toFixed(1);
  const pain = rng.int(0, 10);
  return rng.pick([
    `BP ${systolic}/${diastolic} | HR ${pulse} | RR ${rng.int(12, 24)} | T ${tempF} F | SpO2 ${spo2}% RA | Wt ${kg} kg | Pain ${pain}/10`,
    `Vitals: BP ${systolic}/${diastolic}, P ${pulse}, R ${rng.int(12, 22)}, Temp ${tempF}°F, O2 sat ${spo2}% on room air, BMI ${(19 + rng.next() * 18).toFixed(1)}`,
    `T: ${((Number(tempF) - 32) / 1.8).toFixed(1)} C  HR: ${pulse}  BP: ${systolic}/${diastolic}  RR: ${rng.int(12, 22)}  SpO2: ${spo2}% 2L NC  Pain: ${pain}/10`,
    `BP ${systolic}/${diastolic} (repeat ${systolic - rng.int(2, 12)}/${diastolic - rng.int(0, 8)}), pulse ${pulse} regular, weight ${Math.round(Number(kg) * 2.2)} lb, height 5'${rng.int(0, 11)}"`,
  ]);
}

export function diagnosisLine(rng: SeededRandom, diagnosis: Diagnosis): string {
  return rng.pick([
    `${diagnosis.name} (${diagnosis.icd10})`,
    `${diagnosis.name} - ${diagnosis.icd10}`,
    `${diagnosis.icd10} ${diagnosis.name}`,
  ]);
}

export function problemList(rng: SeededRandom, count: number): string {
  return rng
    .sample(DIAGNOSES, count)
    .map((diagnosis, i) => `${i + 1}. ${diagnosisLine(rng, diagnosis)}`)
    .join('\n');
}

export function medicationLines(rng: SeededRandom, count: number): string[] {
  return rng.sample(MEDICATIONS, count).map((medication) => `${medication.name} - ${medication.sig}`);
}

export function labValue(rng: SeededRandom, test: LabTest): string {
  return (test.low + rng.next() * (test.high - test.low)).toFixed(test.decimals);
}

/** An inline lab mention with a bare year (not PHI) for contrast: "A1c 7.9% (8.4% in 2022)". */
export function labMention(rng: SeededRandom): string {
  const test = rng.pick(LAB_TESTS);
  const unit = test.unit === '%' ? '%' : test.unit ? ` ${test.unit}` : '';
  return rng.pick([
    `${test.name} ${labValue(rng, test)}${unit}`,
    `${test.name} ${labValue(rng, test)}${unit} (${labValue(rng, test)}${unit} in ${rng.int(2015, 2023)})`,
    `${test.name} ${labValue(rng, test)}${unit}, ref ${test.reference}`,
  ]);
}

export function examFindings(rng: SeededRandom): string {
  const general = rng.pick([
    'Alert, oriented x3, no acute distress.',
    'Elderly, frail, pleasant, in no distress.',
    'Appears uncomfortable, diaphoretic.',
    'Well appearing, conversant.',
  ]);
  const eponyms = rng.sample(EPONYMOUS_FINDINGS, 2).join('; ');
  const heart = rng.pick(['RRR, no m/r/g.', 'Irregularly irregular, II/VI systolic murmur at RUSB.', 'S1 S2 normal.']);
  const lungs = rng.pick([
    'CTAB.',
    'Bibasilar crackles.',
    'Scattered expiratory wheezes.',
    'Diminished at the L base.',
  ]);
  return `General: ${general} Heart: ${heart} Lungs: ${lungs} ${eponyms}.`;
}

/** Prefer this over a literal in templates: keeps AGE labelling in one place. */
export function ageNumber(years: number): Fragment {
  return years >= 90 ? phi('AGE', String(years)) : String(years);
}

export function socialHistory(cast: Cast): LabelledText {
  const { rng, patient } = cast;
  const pronoun = patient.sex === 'F' ? 'her' : 'his';
  const job = phi('PROFESSION', patient.profession);
  const occupation = rng.pick([
    labelled`Works as ${withArticle(job)}.`,
    labelled`Retired ${job}.`,
    labelled`Occupation: ${job}.`,
    labelled`${patient.sex === 'F' ? 'She' : 'He'} has been ${withArticle(job)} for ${rng.int(3, 30)} years.`,
    labelled`Former ${job}, on disability since ${rng.int(2005, 2021)}.`,
  ]);
  const relative = patient.relative;
  const household = rng.pick([
    () =>
      labelled`Lives with ${pronoun} ${relative.relation} ${name(rng, relative, ['first', 'first-last'])} in ${phi('LOCATION', patient.address.place.city)}.`,
    () =>
      labelled`Lives alone in ${phi('LOCATION', patient.address.place.city)}; ${pronoun} ${relative.relation} checks in daily.`,
    () => labelled`Resides at ${phi('FACILITY', cast.residence.name)} since ${rng.int(2016, 2023)}.`,
    () => labelled`Lives in ${phi('LOCATION', patient.address.place.county)} with ${pronoun} ${relative.relation}.`,
  ])();
  const tobacco = rng.pick([
    `Quit smoking in ${rng.int(1985, 2020)} (${rng.int(5, 60)} pack-years).`,
    'Never smoker.',
    'Current smoker, 1/2 ppd.',
    'Vapes daily.',
  ]);
  const alcohol = rng.pick(['2-3 beers/week.', 'No alcohol.', 'Wine socially.', 'Drinks 6 beers most days; CAGE 2/4.']);
  return join([occupation, household, tobacco, alcohol], ' ');
}

export function familyHistory(cast: Cast): LabelledText {
  const { rng } = cast;
  const motherAge = rng.chance(0.4) ? rng.int(90, 101) : rng.int(52, 89);
  const fatherAge = rng.int(45, 95);
  return join(
    [
      labelled`Mother ${rng.pick(['died at', 'deceased at age', 'passed at'])} ${ageNumber(motherAge)} of ${rng.pick(['stroke', 'breast cancer', 'CHF', 'dementia'])}.`,
      labelled`Father with MI at ${ageNumber(fatherAge)}.`,
      rng.pick([
        `Sister with ${rng.pick(DIAGNOSES).name}.`,
        'Brother with T2DM.',
        'No family history of colon cancer.',
      ]),
    ],
    ' ',
  );
}

/** "Electronically signed by ... on <date> <time>", with the NPI on the next line. */
export function signatureBlock(cast: Cast, clinician: Clinician, when: CalendarDate): LabelledText {
  const { rng } = cast;
  const signed = rng.pick([
    () =>
      labelled`Electronically signed by ${clinicianName(rng, clinician, 'signature')} on ${date(rng, when, { styles: ['mm/dd/yyyy', 'm/d/yyyy', 'yyyy-mm-dd'] })} at ${clockTime(rng)}`,
    () => labelled`/s/ ${clinicianName(rng, clinician, 'signature')}`,
    () =>
      labelled`Signed: ${clinicianName(rng, clinician, 'signature')} ${date(rng, when, { styles: ['mm/dd/yyyy', 'mm/dd/yy'] })} ${clockTime(rng)}`,
  ])();
  const identifiers: Fragment[] = [
    rng.chance(0.6) && labelled`NPI: ${phi('LICENSE', clinician.npi)}`,
    rng.chance(0.2) && labelled`DEA ${phi('LICENSE', clinician.dea)}`,
  ];
  const identifierLine = join(identifiers, ' | ');
  return lines(signed, identifierLine.text ? identifierLine : null);
}

/** Sentences that look like PHI to a naive detector but are not. */
export function distractorSentence(rng: SeededRandom): string {
  return rng.pick([
    `Pain ${rng.int(2, 9)}/10, improved to ${rng.int(0, 4)}/10 after medication.`,
    `Seen in ${rng.int(2010, 2023)} for similar symptoms.`,
    `Per ACC/AHA ${rng.pick(['2017', '2019', '2022'])} guidelines, continue statin.`,
    `Room ${rng.int(2, 8)}${rng.digits(2)}, bed ${rng.pick(['A', 'B'])}.`,
    `Return in ${rng.int(2, 6)}-${rng.int(7, 12)} weeks or sooner as needed.`,
    `Tdap last given ${rng.int(2012, 2022)}; influenza vaccine lot ${rng.pick(['UT', 'EK', 'FH'])}${rng.digits(4)} given today.`,
    `Medication given at ${rng.int(10, 23)}:${rng.pick(['00', '15', '30', '45'])} per protocol.`,
    `${rng.int(3, 4)}/4 strength, reflexes 2+ and symmetric.`,
    `EF ${rng.int(25, 60)}-${rng.int(61, 65)}% on prior echo.`,
    `Quit alcohol ${rng.int(2, 15)} years ago; AUDIT-C ${rng.int(0, 4)}.`,
    `PHQ-9 score ${rng.int(2, 22)}, GAD-7 ${rng.int(1, 18)}.`,
    `Dose reduced from ${rng.int(2, 8) * 10} mg to ${rng.int(1, 2) * 10} mg.`,
    `Discussed with family at bedside at ${rng.int(1, 11)}:${rng.pick(['10', '20', '40'])} pm.`,
    `Fluids at 125 mL/hr x 2 L, then reassess.`,
    `Stage 2 pressure injury, 1.5 x 2.0 cm.`,
    `Brown stool, guaiac negative.`,
    `Will follow up with cardiology; hope to taper steroids.`,
    `Marked improvement since last visit.`,
    `Grace period for the prior authorization ends at the end of the month.`,
  ]);
}

export function facilityName(facility: Facility, casing: 'as-is' | 'upper' = 'as-is'): LabelledText {
  return phi('FACILITY', casing === 'upper' ? facility.name.toUpperCase() : facility.name);
}

export function facilityUrl(rng: SeededRandom, facility: Facility): LabelledText {
  return phi(
    'URL',
    rng.pick([
      `www.${facility.domain}`,
      `https://${facility.domain}`,
      `https://www.${facility.domain}/patients`,
      `http://${facility.domain}/forms/release-of-information.pdf`,
      facility.domain,
    ]),
  );
}

/** Practice letterhead: name, address, phone, fax and sometimes the web site. */
export function letterhead(cast: Cast, facility: Facility): LabelledText {
  const { rng } = cast;
  const phoneWord = rng.pick(['Phone', 'Tel', 'P', 'Ph']);
  const faxWord = rng.pick(['Fax', 'F', 'Fax #']);
  const contact = labelled`${phoneWord}: ${phone(rng, facility.phone)}  ${rng.pick(['|', '·', '/', ''])}  ${faxWord}: ${phone(rng, facility.fax, 'FAX')}`;
  return lines(
    facilityName(facility, rng.chance(0.4) ? 'upper' : 'as-is'),
    rng.chance(0.5) ? addressOneLine(rng, facility.address) : addressBlock(rng, facility.address),
    contact,
    rng.chance(0.6) && facilityUrl(rng, facility),
  );
}
