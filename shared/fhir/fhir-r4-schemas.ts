/**
 * zod schemas for the FHIR R4 subset the record summary reads: loose objects (real Synthea output carries many
 * fields we never read), strict on what identifies or dates a fact (resourceType, id, dates, base64 payloads).
 */
import { z } from 'zod';

/** FHIR `id`: 1-64 of A-Z a-z 0-9 - . (R4 datatypes). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** FHIR date / dateTime / instant share this shape: year, optional month and day, optional time with a zone. */
const FHIR_DATE_TIME =
  /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(?:T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(?:\.\d{1,9})?(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

/** A resourceType as FHIR spells them: a capitalised ASCII word (keeps arbitrary text out of counters). */
export const RESOURCE_TYPE_NAME = /^[A-Z][A-Za-z]{1,63}$/;

/** True for a real calendar date (rejects 2021-02-30), whatever precision the value has. */
function isCalendarDate(value: string): boolean {
  const match = FHIR_DATE_TIME.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (!month || !day) return true;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

export function stripBase64Whitespace(value: string): string {
  return value.replace(/\s+/g, '');
}

function isBase64Character(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 43 || // +
    code === 47 // /
  );
}

/**
 * FHIR base64Binary; whitespace (line-wrapped encoders) is allowed and ignored. A loop, not a regex: a grouped
 * regex over a multi-megabyte note overflows V8's backtracking stack (a RangeError instead of a clear 400).
 */
function isBase64(value: string): boolean {
  const data = stripBase64Whitespace(value);
  if (data.length % 4 !== 0) return false;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  for (let index = 0; index < data.length - padding; index += 1) {
    if (!isBase64Character(data.charCodeAt(index))) return false;
  }
  return true;
}

/** Decoded byte length of a (whitespace-free, valid) base64 string, without decoding it. */
export function base64DecodedLength(value: string): number {
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}

// Refinements (custom issues) rather than .regex(): the parser reports custom messages verbatim, format issues generically.
export const FhirId = z.string().refine((value) => FHIR_ID.test(value), { error: 'not a valid FHIR id' });
export const FhirDateTime = z.string().refine(isCalendarDate, { error: 'not a valid FHIR date or dateTime' });
export const Base64Binary = z.string().refine(isBase64, { error: 'not valid base64' });

export const Coding = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
export type Coding = z.infer<typeof Coding>;

export const CodeableConcept = z.looseObject({
  coding: z.array(Coding).optional(),
  text: z.string().optional(),
});
export type CodeableConcept = z.infer<typeof CodeableConcept>;

export const Reference = z.looseObject({
  reference: z.string().optional(),
  display: z.string().optional(),
});
export type Reference = z.infer<typeof Reference>;

export const Period = z.looseObject({ start: FhirDateTime.optional(), end: FhirDateTime.optional() });
export type Period = z.infer<typeof Period>;

export const Quantity = z.looseObject({
  value: z.number().optional(),
  comparator: z.string().optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});
export type Quantity = z.infer<typeof Quantity>;

export const Money = z.looseObject({ value: z.number().optional(), currency: z.string().optional() });
export type Money = z.infer<typeof Money>;

export const Attachment = z.looseObject({
  contentType: z.string().optional(),
  data: Base64Binary.optional(),
  url: z.string().optional(),
  title: z.string().optional(),
  creation: FhirDateTime.optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const Meta = z.looseObject({
  security: z.array(Coding).optional(),
  tag: z.array(Coding).optional(),
  lastUpdated: FhirDateTime.optional(),
});

export const Dosage = z.looseObject({
  text: z.string().optional(),
  asNeededBoolean: z.boolean().optional(),
  route: CodeableConcept.optional(),
  timing: z
    .looseObject({
      repeat: z
        .looseObject({
          frequency: z.number().optional(),
          period: z.number().optional(),
          periodUnit: z.string().optional(),
        })
        .optional(),
      code: CodeableConcept.optional(),
    })
    .optional(),
  doseAndRate: z.array(z.looseObject({ doseQuantity: Quantity.optional() })).optional(),
});
export type Dosage = z.infer<typeof Dosage>;

export const ReferenceRange = z.looseObject({
  low: Quantity.optional(),
  high: Quantity.optional(),
  text: z.string().optional(),
});

/** The value[x] choices we render (Observation and its components). */
const ObservationValue = {
  valueQuantity: Quantity.optional(),
  valueCodeableConcept: CodeableConcept.optional(),
  valueString: z.string().optional(),
  valueBoolean: z.boolean().optional(),
  valueInteger: z.number().optional(),
  interpretation: z.array(CodeableConcept).optional(),
  referenceRange: z.array(ReferenceRange).optional(),
};

function resource<const Type extends string, Shape extends z.ZodRawShape>(resourceType: Type, shape: Shape) {
  return z.looseObject({
    resourceType: z.literal(resourceType),
    id: FhirId,
    meta: Meta.optional(),
    status: z.string().optional(),
    ...shape,
  });
}

export const Patient = resource('Patient', {
  name: z
    .array(
      z.looseObject({
        use: z.string().optional(),
        text: z.string().optional(),
        family: z.string().optional(),
        given: z.array(z.string()).optional(),
        prefix: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: FhirDateTime.optional(),
  deceasedDateTime: FhirDateTime.optional(),
  deceasedBoolean: z.boolean().optional(),
  address: z
    .array(
      z.looseObject({
        line: z.array(z.string()).optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        postalCode: z.string().optional(),
        country: z.string().optional(),
      }),
    )
    .optional(),
  telecom: z
    .array(z.looseObject({ system: z.string().optional(), value: z.string().optional(), use: z.string().optional() }))
    .optional(),
  identifier: z
    .array(
      z.looseObject({ type: CodeableConcept.optional(), system: z.string().optional(), value: z.string().optional() }),
    )
    .optional(),
  maritalStatus: CodeableConcept.optional(),
  communication: z.array(z.looseObject({ language: CodeableConcept.optional() })).optional(),
});

export const Encounter = resource('Encounter', {
  class: Coding.optional(),
  type: z.array(CodeableConcept).optional(),
  period: Period.optional(),
  reasonCode: z.array(CodeableConcept).optional(),
  reasonReference: z.array(Reference).optional(),
  diagnosis: z.array(z.looseObject({ condition: Reference.optional() })).optional(),
  serviceProvider: Reference.optional(),
  subject: Reference.optional(),
});

export const Condition = resource('Condition', {
  clinicalStatus: CodeableConcept.optional(),
  verificationStatus: CodeableConcept.optional(),
  category: z.array(CodeableConcept).optional(),
  code: CodeableConcept.optional(),
  onsetDateTime: FhirDateTime.optional(),
  abatementDateTime: FhirDateTime.optional(),
  recordedDate: FhirDateTime.optional(),
  subject: Reference.optional(),
  encounter: Reference.optional(),
});

export const MedicationRequest = resource('MedicationRequest', {
  intent: z.string().optional(),
  medicationCodeableConcept: CodeableConcept.optional(),
  medicationReference: Reference.optional(),
  authoredOn: FhirDateTime.optional(),
  dosageInstruction: z.array(Dosage).optional(),
  reasonCode: z.array(CodeableConcept).optional(),
  reasonReference: z.array(Reference).optional(),
  subject: Reference.optional(),
  encounter: Reference.optional(),
});

export const MedicationStatement = resource('MedicationStatement', {
  medicationCodeableConcept: CodeableConcept.optional(),
  medicationReference: Reference.optional(),
  effectiveDateTime: FhirDateTime.optional(),
  effectivePeriod: Period.optional(),
  dateAsserted: FhirDateTime.optional(),
  dosage: z.array(Dosage).optional(),
  reasonCode: z.array(CodeableConcept).optional(),
  reasonReference: z.array(Reference).optional(),
  subject: Reference.optional(),
});

export const AllergyIntolerance = resource('AllergyIntolerance', {
  clinicalStatus: CodeableConcept.optional(),
  verificationStatus: CodeableConcept.optional(),
  type: z.string().optional(),
  category: z.array(z.string()).optional(),
  criticality: z.string().optional(),
  code: CodeableConcept.optional(),
  onsetDateTime: FhirDateTime.optional(),
  recordedDate: FhirDateTime.optional(),
  reaction: z
    .array(z.looseObject({ manifestation: z.array(CodeableConcept).optional(), severity: z.string().optional() }))
    .optional(),
  patient: Reference.optional(),
});

export const Observation = resource('Observation', {
  category: z.array(CodeableConcept).optional(),
  code: CodeableConcept,
  effectiveDateTime: FhirDateTime.optional(),
  effectivePeriod: Period.optional(),
  issued: FhirDateTime.optional(),
  ...ObservationValue,
  component: z.array(z.looseObject({ code: CodeableConcept, ...ObservationValue })).optional(),
  subject: Reference.optional(),
  encounter: Reference.optional(),
  focus: z.array(Reference).optional(),
});

export const Procedure = resource('Procedure', {
  code: CodeableConcept.optional(),
  performedDateTime: FhirDateTime.optional(),
  performedPeriod: Period.optional(),
  reasonCode: z.array(CodeableConcept).optional(),
  reasonReference: z.array(Reference).optional(),
  bodySite: z.array(CodeableConcept).optional(),
  subject: Reference.optional(),
  encounter: Reference.optional(),
});

export const DiagnosticReport = resource('DiagnosticReport', {
  category: z.array(CodeableConcept).optional(),
  code: CodeableConcept,
  effectiveDateTime: FhirDateTime.optional(),
  effectivePeriod: Period.optional(),
  issued: FhirDateTime.optional(),
  result: z.array(Reference).optional(),
  conclusion: z.string().optional(),
  conclusionCode: z.array(CodeableConcept).optional(),
  presentedForm: z.array(Attachment).optional(),
  subject: Reference.optional(),
  encounter: Reference.optional(),
});

export const DocumentReference = resource('DocumentReference', {
  type: CodeableConcept.optional(),
  category: z.array(CodeableConcept).optional(),
  date: FhirDateTime.optional(),
  description: z.string().optional(),
  securityLabel: z.array(CodeableConcept).optional(),
  content: z.array(z.looseObject({ attachment: Attachment })).min(1),
  context: z.looseObject({ encounter: z.array(Reference).optional(), period: Period.optional() }).optional(),
  subject: Reference.optional(),
});

export const Immunization = resource('Immunization', {
  vaccineCode: CodeableConcept,
  occurrenceDateTime: FhirDateTime.optional(),
  occurrenceString: z.string().optional(),
  primarySource: z.boolean().optional(),
  patient: Reference.optional(),
  encounter: Reference.optional(),
});

export const CarePlan = resource('CarePlan', {
  intent: z.string().optional(),
  category: z.array(CodeableConcept).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  period: Period.optional(),
  addresses: z.array(Reference).optional(),
  activity: z
    .array(
      z.looseObject({
        detail: z
          .looseObject({
            code: CodeableConcept.optional(),
            status: z.string().optional(),
            description: z.string().optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  subject: Reference.optional(),
  encounter: Reference.optional(),
});

const ClaimItem = z.looseObject({
  productOrService: CodeableConcept.optional(),
  servicedDate: FhirDateTime.optional(),
  servicedPeriod: Period.optional(),
  net: Money.optional(),
});

const ClaimDiagnosis = z.looseObject({
  diagnosisCodeableConcept: CodeableConcept.optional(),
  diagnosisReference: Reference.optional(),
});

export const Claim = resource('Claim', {
  type: CodeableConcept.optional(),
  use: z.string().optional(),
  created: FhirDateTime.optional(),
  billablePeriod: Period.optional(),
  total: Money.optional(),
  diagnosis: z.array(ClaimDiagnosis).optional(),
  item: z.array(ClaimItem).optional(),
  patient: Reference.optional(),
});

export const ExplanationOfBenefit = resource('ExplanationOfBenefit', {
  type: CodeableConcept.optional(),
  use: z.string().optional(),
  created: FhirDateTime.optional(),
  billablePeriod: Period.optional(),
  outcome: z.string().optional(),
  claim: Reference.optional(),
  diagnosis: z.array(ClaimDiagnosis).optional(),
  item: z.array(ClaimItem).optional(),
  total: z.array(z.looseObject({ category: CodeableConcept.optional(), amount: Money.optional() })).optional(),
  payment: z.looseObject({ amount: Money.optional() }).optional(),
  patient: Reference.optional(),
});

/** Read only as the target of `medicationReference` (US Core-style Synthea output); it gets no entry of its own. */
export const Medication = resource('Medication', { code: CodeableConcept.optional() });

/** The resource types we read, by resourceType; any other type is accepted, counted and ignored. */
export const KNOWN_RESOURCE_SCHEMAS = {
  Patient,
  Encounter,
  Condition,
  MedicationRequest,
  MedicationStatement,
  AllergyIntolerance,
  Observation,
  Procedure,
  DiagnosticReport,
  DocumentReference,
  Immunization,
  CarePlan,
  Claim,
  ExplanationOfBenefit,
  Medication,
} as const;

export type KnownResourceType = keyof typeof KNOWN_RESOURCE_SCHEMAS;
export type KnownResource = {
  [Type in KnownResourceType]: z.infer<(typeof KNOWN_RESOURCE_SCHEMAS)[Type]>;
}[KnownResourceType];
/** Resources that become record entries (everything we read except reference-only types). */
export type EntryResource = Exclude<KnownResource, { resourceType: 'Medication' }>;
export type ResourceOf<Type extends KnownResourceType> = z.infer<(typeof KNOWN_RESOURCE_SCHEMAS)[Type]>;

export function isKnownResourceType(resourceType: string): resourceType is KnownResourceType {
  return Object.hasOwn(KNOWN_RESOURCE_SCHEMAS, resourceType);
}

/** The bundle frame; entries are validated one by one so each error carries its entry index. */
export const BUNDLE_TYPES = ['collection', 'transaction', 'searchset', 'batch', 'document'] as const;
export const BundleFrame = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: FhirId.optional(),
  type: z.enum(BUNDLE_TYPES),
  meta: Meta.optional(),
  entry: z.array(z.unknown()).optional(),
});

export const EntryFrame = z.looseObject({
  fullUrl: z.string().optional(),
  resource: z.looseObject({
    resourceType: z
      .string()
      .refine((value) => RESOURCE_TYPE_NAME.test(value), { error: 'not a FHIR resource type name' }),
    id: FhirId,
  }),
});
