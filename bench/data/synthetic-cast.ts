/** The synthetic people, places and identifiers one note is written about, drawn from a seeded random source. */
import type { SeededRandom } from './seeded-random.ts';
import {
  alphanumeric,
  cardNumber,
  deaNumber,
  ipv4,
  ipv6,
  licensePlate,
  mbi,
  npi,
  ssnDigits,
  upperLetters,
  vin,
} from './synthetic-identifiers.ts';
import {
  CLINIC_KINDS,
  EMAIL_DOMAINS,
  FACILITY_STEMS,
  FEMALE_FIRST_NAMES,
  HEALTH_PLANS,
  HOSPITAL_KINDS,
  LAB_KINDS,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  PHARMACY_KINDS,
  PLACES,
  type Place,
  PROFESSIONS,
  RELATIONS_FEMALE,
  RELATIONS_MALE,
  RESIDENTIAL_FACILITY_KINDS,
  SAINTLY_HOSPITAL_NAMES,
  STREET_DIRECTIONS,
  STREET_NAMES,
  STREET_SUFFIXES,
  VEHICLES,
} from './synthetic-vocabulary.ts';

export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface Person {
  readonly first: string;
  /** A middle initial ("L.") or name, when the person has one on record. */
  readonly middle: string | undefined;
  readonly last: string;
  readonly sex: 'F' | 'M';
}

export interface PostalAddress {
  readonly street: string;
  readonly unit: string | undefined;
  readonly place: Place;
  /** Five digits or ZIP+4. */
  readonly zip: string;
}

export interface Relative extends Person {
  readonly relation: string;
  readonly phone: string;
  readonly age: number;
}

export interface Clinician extends Person {
  readonly credential: string;
  readonly specialty: string;
  readonly npi: string;
  readonly dea: string;
  readonly stateLicense: string;
  readonly email: string;
}

export interface Facility {
  readonly name: string;
  readonly address: PostalAddress;
  readonly phone: string;
  readonly fax: string;
  readonly domain: string;
}

export interface ImplantedDevice {
  readonly kind: string;
  /** A model number identifies a product, not a patient: not PHI. */
  readonly model: string;
  readonly serial: string;
  readonly udi: string;
}

export interface Vehicle {
  readonly description: string;
  readonly vin: string;
  readonly plate: string;
}

export interface Patient extends Person {
  readonly age: number;
  readonly dob: CalendarDate;
  readonly address: PostalAddress;
  readonly homePhone: string;
  readonly cellPhone: string;
  readonly workPhone: string;
  readonly email: string;
  readonly mrn: string;
  readonly ssn: string;
  readonly insurer: string;
  readonly memberId: string;
  readonly groupNumber: string;
  readonly mbi: string;
  readonly medicaidId: string;
  readonly accountNumber: string;
  readonly cardNumber: string;
  readonly profession: string;
  readonly relative: Relative;
  readonly portalUsername: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly driversLicense: string;
  readonly vehicle: Vehicle;
  readonly device: ImplantedDevice;
  readonly personalUrl: string;
}

/** Other per-encounter identifiers (Safe Harbor's "any other unique identifying number"). */
export interface EncounterIds {
  readonly accession: string;
  readonly claim: string;
  readonly specimen: string;
  readonly priorAuth: string;
  readonly prescription: string;
  readonly encounter: string;
  readonly order: string;
  readonly messageControl: string;
  readonly caseNumber: string;
}

export interface Cast {
  readonly rng: SeededRandom;
  readonly patient: Patient;
  readonly pcp: Clinician;
  readonly specialist: Clinician;
  readonly nurse: Clinician;
  readonly clinic: Facility;
  readonly hospital: Facility;
  readonly pharmacy: Facility;
  readonly lab: Facility;
  readonly residence: Facility;
  /** The health plan's mailing address and fax (the plan's name is not PHI; its contact details are labelled). */
  readonly payer: Facility;
  readonly visit: CalendarDate;
  readonly priorVisit: CalendarDate;
  readonly followUp: CalendarDate;
  readonly ids: EncounterIds;
}

const SPECIALTIES = [
  'Cardiology',
  'Endocrinology',
  'Pulmonology',
  'Gastroenterology',
  'Orthopedic Surgery',
  'Neurology',
  'Nephrology',
  'Rheumatology',
  'Psychiatry',
  'Hematology/Oncology',
  'Urology',
  'Dermatology',
  'Geriatrics',
  'Sleep Medicine',
] as const;

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function randomDate(rng: SeededRandom, fromYear: number, toYear: number): CalendarDate {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear, 11, 31);
  const picked = new Date(start + Math.floor(rng.next() * ((end - start) / 86_400_000)) * 86_400_000);
  return { year: picked.getUTCFullYear(), month: picked.getUTCMonth() + 1, day: picked.getUTCDate() };
}

/** A birth date that makes the person exactly `age` on `on`. */
function birthDateFor(rng: SeededRandom, age: number, on: CalendarDate): CalendarDate {
  const daysBack = rng.int(1, 364);
  const lastBirthday = addDays(on, -daysBack);
  const year = on.year - age - (lastBirthday.year < on.year ? 1 : 0);
  const day = lastBirthday.month === 2 && lastBirthday.day === 29 ? 28 : lastBirthday.day;
  return { year, month: lastBirthday.month, day };
}

function person(rng: SeededRandom, sex: 'F' | 'M' = rng.pick(['F', 'M'] as const)): Person {
  const first = rng.pick(sex === 'F' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  const middle = rng.weighted<string | undefined>([
    [5, undefined],
    [4, `${upperLetters(rng, 1)}.`],
    [1, rng.pick(sex === 'F' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)],
  ]);
  return { first, middle, last: rng.pick(LAST_NAMES), sex };
}

function phoneDigits(rng: SeededRandom, place: Place): string {
  return `${rng.pick(place.areaCodes)}${rng.int(2, 9)}${rng.digits(2)}${rng.digits(4)}`;
}

function zipFor(rng: SeededRandom, place: Place): string {
  const zip5 = `${place.zip3}${rng.digits(2)}`;
  return rng.chance(0.25) ? `${zip5}-${rng.digits(4)}` : zip5;
}

function streetAddress(rng: SeededRandom, place: Place): PostalAddress {
  const street = rng.weighted<() => string>([
    [
      8,
      () =>
        `${rng.int(1, 9899)} ${rng.chance(0.3) ? `${rng.pick(STREET_DIRECTIONS)} ` : ''}${rng.pick(STREET_NAMES)} ${rng.pick(STREET_SUFFIXES)}`,
    ],
    [1, () => `PO Box ${rng.int(10, 9999)}`],
    [1, () => `${rng.pick(['RR', 'HC'])} ${rng.int(1, 9)} Box ${rng.int(10, 999)}`],
  ])();
  const unit = street.includes('Box')
    ? undefined
    : rng.weighted<string | undefined>([
        [6, undefined],
        [2, `Apt ${rng.int(1, 40)}${rng.pick(['', 'A', 'B', 'C'])}`],
        [1, `Unit ${rng.int(1, 300)}`],
        [1, `#${rng.int(100, 950)}`],
        [1, `Lot ${rng.int(1, 80)}`],
      ]);
  return { street, unit, place, zip: zipFor(rng, place) };
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

function facility(rng: SeededRandom, name: string, place: Place): Facility {
  const words = name.split(/\s+/);
  const domainStem = rng.chance(0.5)
    ? slug(words.slice(0, 2).join(''))
    : words.map((word) => slug(word).charAt(0)).join('') + slug(words[0] ?? 'care');
  const suite = rng.chance(0.4) ? `Suite ${rng.int(1, 9)}${rng.digits(2)}` : undefined;
  const address = { ...streetAddress(rng, place), unit: suite };
  return {
    name,
    address: address.street.includes('Box') ? { ...address, street: `${rng.int(100, 9000)} Medical Pkwy` } : address,
    phone: phoneDigits(rng, place),
    fax: phoneDigits(rng, place),
    domain: `${domainStem}.${rng.pick(['org', 'com', 'health', 'net'])}`,
  };
}

function clinician(rng: SeededRandom, credential: string, specialty: string, domain: string): Clinician {
  const base = person(rng);
  const licence = rng.pick([
    () => `036.${rng.digits(6)}`,
    () => `${rng.pick(['A', 'G', 'C'])}${rng.digits(5)}`,
    () => `MD${rng.digits(6)}`,
    () => `${rng.digits(2)}-${rng.digits(6)}`,
    () => `${rng.pick(['R', 'M', 'P'])}${rng.digits(4)}`,
    () => `RN${rng.digits(7)}`,
  ])();
  return {
    ...base,
    credential,
    specialty,
    npi: npi(rng),
    dea: deaNumber(rng, base.last),
    stateLicense: licence,
    email: `${slug(base.first).charAt(0)}${slug(base.last)}@${domain}`,
  };
}

function implantedDevice(rng: SeededRandom): ImplantedDevice {
  const expiry = `${rng.int(25, 29)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`;
  const udi = rng.chance(0.8)
    ? `(01)${rng.digits(14)}(17)${expiry}(21)${alphanumeric(rng, 8)}`
    : `+${upperLetters(rng, 1)}${rng.digits(3)}${alphanumeric(rng, 5)}1/$$${expiry}${alphanumeric(rng, 6)}`;
  return rng.pick<() => ImplantedDevice>([
    () => ({
      kind: 'dual-chamber pacemaker',
      model: `model ${upperLetters(rng, 1)}${rng.digits(1)}DR0${rng.digits(1)}`,
      serial: `${upperLetters(rng, 3)}${rng.digits(6)}${upperLetters(rng, 1)}`,
      udi,
    }),
    () => ({
      kind: 'implantable cardioverter-defibrillator',
      model: `model D${rng.digits(3)}TRM`,
      serial: `${upperLetters(rng, 3)}${rng.digits(6)}${upperLetters(rng, 1)}`,
      udi,
    }),
    () => ({ kind: 'insulin pump', model: `model MMT-${rng.digits(3)}`, serial: `NG${rng.digits(7)}H`, udi }),
    () => ({ kind: 'CGM transmitter', model: 'G6 transmitter', serial: alphanumeric(rng, 6), udi }),
    () => ({ kind: 'cochlear implant', model: `CI${rng.digits(3)}`, serial: rng.digits(8), udi }),
    () => ({
      kind: 'spinal cord stimulator',
      model: `model ${rng.digits(5)}`,
      serial: `${upperLetters(rng, 3)}${rng.digits(6)}`,
      udi,
    }),
    () => ({
      kind: 'hearing aids',
      model: 'RIC 312',
      serial: `${rng.digits(4)}${upperLetters(rng, 1)}${rng.digits(5)}`,
      udi,
    }),
    () => ({ kind: 'home CPAP', model: `AirSense ${rng.int(10, 11)}`, serial: `${rng.digits(11)}`, udi }),
  ])();
}

function patientFor(rng: SeededRandom, visit: CalendarDate, place: Place, clinicDomain: string): Patient {
  const base = person(rng);
  // About one patient in five is over 89, so AGE (and ages that must NOT be labelled) both occur often.
  const age = rng.chance(0.2) ? rng.int(90, 104) : rng.int(18, 89);
  const relativeSex = rng.pick(['F', 'M'] as const);
  const relativeBase = person(rng, relativeSex);
  const relation = rng.pick(relativeSex === 'F' ? RELATIONS_FEMALE : RELATIONS_MALE);
  const relativeAge = ['mother', 'father', 'aunt', 'uncle'].includes(relation)
    ? Math.min(age + rng.int(18, 35), 106)
    : Math.max(18, age - rng.int(-10, 40));
  const firstSlug = slug(base.first);
  const lastSlug = slug(base.last);
  const yy = String(visit.year - age).slice(2);
  const localPart = rng.pick([
    `${firstSlug}.${lastSlug}`,
    `${firstSlug.charAt(0)}${lastSlug}${yy}`,
    `${lastSlug}${firstSlug.charAt(0)}${rng.digits(2)}`,
    `${firstSlug}${rng.digits(3)}`,
    `${firstSlug}_${lastSlug}${rng.int(1, 99)}`,
  ]);
  const stateDriver = rng.pick([
    () => `${upperLetters(rng, 1)}${rng.digits(7)}`,
    () => `${upperLetters(rng, 1)}${rng.digits(3)}-${rng.digits(4)}-${rng.digits(4)}`,
    () => `${rng.digits(3)} ${rng.digits(3)} ${rng.digits(3)}`,
    () => `${upperLetters(rng, 1)}${rng.digits(3)}-${rng.digits(3)}-${rng.digits(2)}-${rng.digits(3)}-${rng.digits(1)}`,
    () => rng.digits(8),
  ])();
  return {
    ...base,
    age,
    dob: birthDateFor(rng, age, visit),
    address: streetAddress(rng, place),
    homePhone: phoneDigits(rng, place),
    cellPhone: phoneDigits(rng, place),
    workPhone: phoneDigits(rng, place),
    email: `${localPart}@${rng.pick(EMAIL_DOMAINS)}`,
    mrn: rng.pick([
      () => rng.digits(7),
      () => `00${rng.digits(6)}`,
      () => `E${rng.digits(7)}`,
      () => `${rng.digits(3)}-${rng.digits(2)}-${rng.digits(3)}`,
      () => `M${rng.digits(9)}`,
      () => `${upperLetters(rng, 2)}${rng.digits(6)}`,
    ])(),
    ssn: ssnDigits(rng),
    insurer: rng.pick(HEALTH_PLANS),
    memberId: rng.pick([
      () => `${upperLetters(rng, 3)}${rng.digits(9)}`,
      () => `W${rng.digits(9)}`,
      () => `${rng.digits(9)}-0${rng.int(1, 4)}`,
      () => `ZGP${rng.digits(8)}`,
      () => `H${rng.digits(8)}`,
      () => `${upperLetters(rng, 1)}${rng.digits(8)} 0${rng.int(1, 4)}`,
    ])(),
    groupNumber: rng.pick([
      () => rng.digits(5),
      () => `GRP-${rng.digits(6)}`,
      () => `${rng.digits(6)}-${upperLetters(rng, 3)}`,
      () => `${upperLetters(rng, 1)}${rng.digits(5)}`,
    ])(),
    mbi: mbi(rng),
    medicaidId: rng.chance(0.5) ? `${upperLetters(rng, 2)}${rng.digits(5)}${upperLetters(rng, 1)}` : rng.digits(10),
    accountNumber: rng.pick([
      () => rng.digits(8),
      () => `ACCT-${rng.digits(7)}`,
      () => `A${rng.digits(9)}`,
      () => `${rng.digits(3)}-${rng.digits(6)}`,
      () => rng.digits(10),
    ])(),
    cardNumber: cardNumber(rng),
    profession: rng.pick(PROFESSIONS),
    relative: { ...relativeBase, relation, phone: phoneDigits(rng, place), age: relativeAge },
    portalUsername: `${firstSlug.charAt(0)}${lastSlug}${rng.int(1, 99)}`,
    ipv4: ipv4(rng),
    ipv6: ipv6(rng),
    driversLicense: stateDriver,
    vehicle: { description: rng.pick(VEHICLES), vin: vin(rng), plate: licensePlate(rng) },
    device: implantedDevice(rng),
    personalUrl: rng.pick([
      `https://www.caringbridge.org/visit/${firstSlug}${lastSlug}`,
      `https://www.gofundme.com/f/help-${firstSlug}-${lastSlug}-recover`,
      `https://${clinicDomain}/portal/patients/${rng.digits(6)}`,
      `www.facebook.com/${firstSlug}.${lastSlug}.${rng.digits(2)}`,
      `https://${firstSlug}${lastSlug}.blogspot.com`,
      `https://zoom.us/j/${rng.digits(11)}?pwd=${alphanumeric(rng, 10)}`,
    ]),
  };
}

export function castFor(rng: SeededRandom): Cast {
  const visit = randomDate(rng, 2019, 2025);
  const place = rng.pick(PLACES);
  const stem = rng.pick(FACILITY_STEMS);
  const clinic = facility(rng, `${stem} ${rng.pick(CLINIC_KINDS)}`, place);
  const hospitalName = rng.pick([
    () => `${rng.pick(SAINTLY_HOSPITAL_NAMES)} ${rng.pick(HOSPITAL_KINDS)}`,
    () => `${place.city} ${rng.pick(HOSPITAL_KINDS)}`,
    () => `${rng.pick(FACILITY_STEMS)} ${rng.pick(HOSPITAL_KINDS)}`,
  ])();
  const pharmacyName = rng.chance(0.6)
    ? `${rng.pick(FACILITY_STEMS)} ${rng.pick(PHARMACY_KINDS)}`
    : `${rng.pick(LAST_NAMES)} ${rng.pick(PHARMACY_KINDS)}`;
  const patient = patientFor(rng, visit, place, clinic.domain);
  const pcpCredential = rng.pick(['MD', 'DO', 'MD', 'FNP-C', 'PA-C', 'MD, FAAFP']);
  return {
    rng,
    patient,
    pcp: clinician(rng, pcpCredential, 'Family Medicine', clinic.domain),
    specialist: clinician(rng, rng.pick(['MD', 'DO', 'MD, PhD', 'MD, FACC']), rng.pick(SPECIALTIES), clinic.domain),
    nurse: clinician(rng, rng.pick(['RN', 'BSN, RN', 'LPN', 'RN, CDCES']), 'Nursing', clinic.domain),
    clinic,
    hospital: facility(rng, hospitalName, place),
    pharmacy: facility(rng, pharmacyName, place),
    lab: facility(rng, `${rng.pick(FACILITY_STEMS)} ${rng.pick(LAB_KINDS)}`, place),
    residence: facility(rng, `${rng.pick(FACILITY_STEMS)} ${rng.pick(RESIDENTIAL_FACILITY_KINDS)}`, place),
    payer: facility(rng, patient.insurer, rng.pick(PLACES)),
    visit,
    priorVisit: addDays(visit, -rng.int(20, 400)),
    followUp: addDays(visit, rng.int(7, 120)),
    ids: {
      accession: rng.pick([
        `${upperLetters(rng, 1)}${String(visit.year).slice(2)}-${rng.digits(6)}`,
        `${upperLetters(rng, 2)}-${visit.year}-${rng.digits(7)}`,
        `${rng.digits(4)}:${upperLetters(rng, 2)}${rng.digits(5)}`,
      ]),
      claim: rng.pick([
        `${visit.year}${rng.digits(9)}`,
        `CLM-${rng.digits(5)}-${rng.digits(2)}`,
        `${upperLetters(rng, 1)}${rng.digits(11)}`,
      ]),
      specimen: `SPC-${rng.digits(7)}`,
      priorAuth: rng.pick([
        `PA-${alphanumeric(rng, 4)}${rng.digits(5)}`,
        `${rng.digits(3)}${upperLetters(rng, 2)}${rng.digits(6)}`,
      ]),
      prescription: rng.digits(7),
      encounter: rng.pick([`ENC-${rng.digits(7)}`, `V${rng.digits(9)}`, rng.digits(10)]),
      order: `ORD${rng.digits(8)}`,
      messageControl: `MSG${rng.digits(8)}`,
      caseNumber: `WC-${visit.year}-${rng.digits(5)}`,
    },
  };
}
