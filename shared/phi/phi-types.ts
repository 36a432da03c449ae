/** The PHI categories we detect (the 18 HIPAA Safe Harbor identifiers, split where formats differ) and a span. */
import { z } from 'zod';

/**
 * Safe Harbor (45 CFR 164.514(b)(2)) identifiers as detected types. Geographic subdivisions smaller than a state
 * are ADDRESS (street), LOCATION (city, county), ZIP and FACILITY; record and account numbers are split by kind
 * because their formats and context cues differ. PROFESSION is not a Safe Harbor identifier but Comprehend
 * Medical reports it and it can identify a person in a small practice, so it is tokenized too.
 */
export const PHI_TYPES = [
  'NAME',
  'DATE',
  'AGE',
  'ADDRESS',
  'LOCATION',
  'ZIP',
  'FACILITY',
  'PHONE',
  'FAX',
  'EMAIL',
  'SSN',
  'MRN',
  'HEALTH_PLAN',
  'ACCOUNT',
  'LICENSE',
  'VEHICLE',
  'DEVICE',
  'URL',
  'IP_ADDRESS',
  'ID',
  'PROFESSION',
] as const;

export const PhiType = z.enum(PHI_TYPES);
export type PhiType = z.infer<typeof PhiType>;

/** A detected identifier: `begin`/`end` are JavaScript string indices (UTF-16 code units) into the input. */
export interface PhiSpan {
  readonly begin: number;
  readonly end: number;
  readonly type: PhiType;
  /** Detector confidence in [0, 1]. Every span is redacted whatever its score: a miss leaks PHI. */
  readonly score: number;
  /** The detector that found it, for metrics and the benchmark. */
  readonly detector?: string;
}
