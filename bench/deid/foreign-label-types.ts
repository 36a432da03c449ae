/** The one table mapping other corpora's PHI label names onto our PHI types (null: not PHI under our conventions). */
import { PHI_TYPES, type PhiType } from '../../shared/phi/phi-types.ts';

const OWN_TYPES = Object.fromEntries(PHI_TYPES.map((type) => [type, type])) as Record<PhiType, PhiType>;

/**
 * Keys are upper-cased, with spaces and hyphens as underscores. Sources: i2b2/n2c2 2014 de-identification
 * (PATIENT, DOCTOR, HOSPITAL, ...), PhysioNet deid, Amazon Comprehend Medical, Microsoft Presidio and Philter.
 */
export const FOREIGN_LABEL_TYPES: Readonly<Record<string, PhiType | null>> = {
  ...OWN_TYPES,
  // Names
  PATIENT: 'NAME',
  DOCTOR: 'NAME',
  USERNAME: 'ID',
  PERSON: 'NAME',
  PER: 'NAME',
  FIRST_NAME: 'NAME',
  LAST_NAME: 'NAME',
  HCW: 'NAME',
  PROVIDER: 'NAME',
  RELATIVE: 'NAME',
  // Dates and ages
  DATE_TIME: 'DATE',
  DOB: 'DATE',
  BIRTHDATE: 'DATE',
  HOLIDAY: 'DATE',
  AGE_OVER_89: 'AGE',
  // Places
  HOSPITAL: 'FACILITY',
  ORGANIZATION: 'FACILITY',
  ORG: 'FACILITY',
  STREET: 'ADDRESS',
  STREET_ADDRESS: 'ADDRESS',
  CITY: 'LOCATION',
  COUNTY: 'LOCATION',
  LOCATION_OTHER: 'LOCATION',
  LOC: 'LOCATION',
  GPE: 'LOCATION',
  ZIP_CODE: 'ZIP',
  ZIPCODE: 'ZIP',
  POSTAL_CODE: 'ZIP',
  STATE: null,
  COUNTRY: null,
  NATIONALITY: null,
  NRP: null,
  // Contact
  PHONE_NUMBER: 'PHONE',
  PHONE_OR_FAX: 'PHONE',
  TELEPHONE: 'PHONE',
  FAX_NUMBER: 'FAX',
  EMAIL_ADDRESS: 'EMAIL',
  WEB: 'URL',
  IPADDR: 'IP_ADDRESS',
  IP: 'IP_ADDRESS',
  // Identifiers
  US_SSN: 'SSN',
  SOCIAL_SECURITY_NUMBER: 'SSN',
  MEDICALRECORD: 'MRN',
  MEDICAL_RECORD: 'MRN',
  MEDICAL_RECORD_NUMBER: 'MRN',
  HEALTHPLAN: 'HEALTH_PLAN',
  HEALTH_PLAN_NUMBER: 'HEALTH_PLAN',
  INSURANCE_ID: 'HEALTH_PLAN',
  MEDICARE_ID: 'HEALTH_PLAN',
  ACCOUNT_NUMBER: 'ACCOUNT',
  US_BANK_NUMBER: 'ACCOUNT',
  CREDIT_CARD: 'ACCOUNT',
  IBAN_CODE: 'ACCOUNT',
  US_DRIVER_LICENSE: 'LICENSE',
  DRIVERS_LICENSE: 'LICENSE',
  MEDICAL_LICENSE: 'LICENSE',
  NPI: 'LICENSE',
  DEA: 'LICENSE',
  CERTIFICATE: 'LICENSE',
  VEHICLE_ID: 'VEHICLE',
  VIN: 'VEHICLE',
  LICENSE_PLATE: 'VEHICLE',
  DEVICE_ID: 'DEVICE',
  BIOID: 'ID',
  IDNUM: 'ID',
  ID_NUMBER: 'ID',
  OTHER_ID: 'ID',
  US_PASSPORT: 'ID',
  US_ITIN: 'ID',
  OCCUPATION: 'PROFESSION',
  JOB: 'PROFESSION',
};

export type LabelMapping =
  | { readonly kind: 'mapped'; readonly type: PhiType }
  | { readonly kind: 'not-phi' }
  | { readonly kind: 'unknown' };

export function mapForeignLabel(label: string): LabelMapping {
  const key = label
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (!Object.hasOwn(FOREIGN_LABEL_TYPES, key)) return { kind: 'unknown' };
  const type = FOREIGN_LABEL_TYPES[key];
  return type ? { kind: 'mapped', type } : { kind: 'not-phi' };
}
