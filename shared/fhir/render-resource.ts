/** Renders each FHIR resource type we read as one readable paragraph with its section, base category and date. */
import type { DataCategory } from '../identity/minimum-necessary.ts';
import { attachmentText } from './attachment-text.ts';
import type {
  Attachment,
  CodeableConcept,
  Coding,
  Dosage,
  EntryResource,
  KnownResource,
  Money,
  Period,
  Quantity,
  Reference,
  ResourceOf,
} from './fhir-r4-schemas.ts';

export type RecordSection =
  | 'patient'
  | 'encounter'
  | 'problem'
  | 'medication'
  | 'allergy'
  | 'result'
  | 'procedure'
  | 'immunization'
  | 'care-plan'
  | 'note'
  | 'billing';

export interface RenderedResource {
  readonly section: RecordSection;
  /** The category by resource type alone; security labels may replace it with a protected one. */
  readonly baseCategory: DataCategory;
  readonly date?: string;
  readonly text: string;
  /** Attachments we could not read as text (other media, URL-only); counted, never guessed at. */
  readonly skippedAttachments: number;
}

/** What rendering needs from the rest of the bundle: a label for a referenced resource, or none if withheld. */
export interface ReferenceLabels {
  label(reference: Reference | undefined): string | undefined;
}

/** Maps, not objects: a system or unit spelled like an Object.prototype member must not resolve. */
const SYSTEM_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'http://snomed.info/sct': 'SNOMED CT',
    'http://loinc.org': 'LOINC',
    'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
    'http://hl7.org/fhir/sid/cvx': 'CVX',
    'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
    'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
    'http://www.ama-assn.org/go/cpt': 'CPT',
    'http://unitsofmeasure.org': 'UCUM',
    'http://terminology.hl7.org/CodeSystem/v3-ActCode': 'HL7 ActCode',
  }),
);

const PERIOD_UNITS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    s: 'second',
    min: 'minute',
    h: 'hour',
    d: 'day',
    wk: 'week',
    mo: 'month',
    a: 'year',
  }),
);

/** Codes of clinical terminologies a coder checks; administrative HL7 codes only add noise next to their display. */
function codingText(coding: Coding, hasDisplay: boolean): string | undefined {
  if (coding.code === undefined) return undefined;
  const system = coding.system === undefined ? undefined : SYSTEM_NAMES.get(coding.system);
  if (system) return `${system} ${coding.code}`;
  return hasDisplay ? undefined : coding.code;
}

/** "Hypertension (SNOMED CT 59621000)": the display a reader knows plus every code a coder checks. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  const codings = concept.coding ?? [];
  const display = concept.text ?? codings.find((coding) => coding.display)?.display;
  const codes = codings.flatMap((coding) => codingText(coding, display !== undefined) ?? []);
  if (display && codes.length > 0) return `${display} (${codes.join(', ')})`;
  return display ?? (codes.length > 0 ? codes.join(', ') : undefined);
}

/** Status concepts (clinicalStatus, verificationStatus) read best as their code: "active", "confirmed". */
function statusText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  return concept.coding?.find((coding) => coding.code)?.code ?? concept.text;
}

function conceptsText(concepts: readonly CodeableConcept[] | undefined): string | undefined {
  const texts = (concepts ?? []).flatMap((concept) => conceptText(concept) ?? []);
  return texts.length > 0 ? texts.join(', ') : undefined;
}

function quantityText(quantity: Quantity | undefined): string | undefined {
  if (quantity?.value === undefined) return undefined;
  const unit = quantity.unit ?? quantity.code;
  return `${quantity.comparator ?? ''}${quantity.value}${unit ? ` ${unit}` : ''}`;
}

function moneyText(money: Money | undefined): string | undefined {
  if (money?.value === undefined) return undefined;
  return `${money.value.toFixed(2)}${money.currency ? ` ${money.currency}` : ''}`;
}

function periodText(period: Period | undefined): string | undefined {
  if (!period?.start && !period?.end) return undefined;
  if (period.start && period.end && period.start !== period.end) return `${period.start} to ${period.end}`;
  return period.start ?? `until ${period.end}`;
}

function dosageText(dosage: Dosage): string | undefined {
  if (dosage.text) return dosage.text;
  const parts: string[] = [];
  const dose = quantityText(dosage.doseAndRate?.find((rate) => rate.doseQuantity)?.doseQuantity);
  if (dose) parts.push(`${dose} per dose`);
  const repeat = dosage.timing?.repeat;
  if (repeat?.frequency !== undefined && repeat.period !== undefined && repeat.periodUnit) {
    const unit = PERIOD_UNITS.get(repeat.periodUnit) ?? repeat.periodUnit;
    parts.push(`${repeat.frequency} time(s) per ${repeat.period === 1 ? unit : `${repeat.period} ${unit}s`}`);
  } else if (dosage.timing?.code) {
    const timing = conceptText(dosage.timing.code);
    if (timing) parts.push(timing);
  }
  const route = conceptText(dosage.route);
  if (route) parts.push(`route ${route}`);
  if (dosage.asNeededBoolean) parts.push('as needed');
  return parts.length > 0 ? parts.join(', ') : undefined;
}

interface ValueHolder {
  valueQuantity?: Quantity | undefined;
  valueCodeableConcept?: CodeableConcept | undefined;
  valueString?: string | undefined;
  valueBoolean?: boolean | undefined;
  valueInteger?: number | undefined;
  interpretation?: CodeableConcept[] | undefined;
  referenceRange?:
    | Array<{ low?: Quantity | undefined; high?: Quantity | undefined; text?: string | undefined }>
    | undefined;
}

function valueText(holder: ValueHolder): string | undefined {
  const value =
    quantityText(holder.valueQuantity) ??
    conceptText(holder.valueCodeableConcept) ??
    holder.valueString ??
    (holder.valueBoolean === undefined ? undefined : String(holder.valueBoolean)) ??
    (holder.valueInteger === undefined ? undefined : String(holder.valueInteger));
  if (value === undefined) return undefined;
  const extras: string[] = [];
  const interpretation = (holder.interpretation ?? []).flatMap(
    (concept) =>
      concept.text ??
      concept.coding?.find((coding) => coding.display ?? coding.code)?.display ??
      concept.coding?.[0]?.code ??
      [],
  );
  if (interpretation.length > 0) extras.push(`interpretation ${interpretation.join(', ')}`);
  const ranges = (holder.referenceRange ?? []).flatMap((range) => {
    if (range.text) return [range.text];
    const low = quantityText(range.low);
    const high = quantityText(range.high);
    if (low && high) return [`${low} to ${high}`];
    if (low) return [`at least ${low}`];
    if (high) return [`at most ${high}`];
    return [];
  });
  if (ranges.length > 0) extras.push(`reference range ${ranges.join('; ')}`);
  return extras.length > 0 ? `${value} (${extras.join('; ')})` : value;
}

/** Joins "name value" fields, skipping the absent ones, into one paragraph. */
function paragraph(heading: string, fields: ReadonlyArray<readonly [string, string | undefined]>): string {
  const parts = fields.flatMap(([name, value]) =>
    value === undefined || value === '' ? [] : [name ? `${name} ${value}` : value],
  );
  const body = parts.join('; ');
  return /[.!?]$/.test(body) ? `${heading}: ${body}` : `${heading}: ${body}.`;
}

function referencesText(references: readonly Reference[] | undefined, labels: ReferenceLabels): string | undefined {
  const texts = (references ?? []).flatMap((reference) => labels.label(reference) ?? []);
  return texts.length > 0 ? texts.join(', ') : undefined;
}

function attachmentsText(attachments: readonly Attachment[]): { text?: string; skipped: number } {
  let skipped = 0;
  const texts: string[] = [];
  for (const attachment of attachments) {
    const decoded = attachmentText(attachment);
    if (decoded.kind === 'skipped') skipped += 1;
    else if (decoded.text !== '') texts.push(decoded.text);
  }
  return texts.length > 0 ? { text: texts.join(' '), skipped } : { skipped };
}

const LABORATORY = 'laboratory';

function hasCategoryCode(categories: readonly CodeableConcept[] | undefined, code: string): boolean {
  return (categories ?? []).some((category) => category.coding?.some((coding) => coding.code === code));
}

/**
 * Synthea (and many EHRs) put clinical notes in DiagnosticReport.presentedForm with a LOINC document category;
 * those are notes (not labs), so a role with labs but not notes does not receive clinician narrative.
 */
function isNoteReport(report: ResourceOf<'DiagnosticReport'>): boolean {
  const categories = report.category ?? [];
  const loincCategory = categories.some((category) =>
    category.coding?.some((coding) => coding.system === 'http://loinc.org'),
  );
  const serviceSection = categories.some((category) =>
    category.coding?.some((coding) => coding.system === 'http://terminology.hl7.org/CodeSystem/v2-0074'),
  );
  return loincCategory || ((report.presentedForm?.length ?? 0) > 0 && !serviceSection);
}

export function renderResource(resource: EntryResource, labels: ReferenceLabels): RenderedResource {
  const rendered = renderByType(resource, labels);
  return { skippedAttachments: 0, ...rendered };
}

type Rendering = Omit<RenderedResource, 'skippedAttachments'> & { skippedAttachments?: number };

function renderByType(resource: EntryResource, labels: ReferenceLabels): Rendering {
  switch (resource.resourceType) {
    case 'Patient':
      return renderPatient(resource);
    case 'Encounter': {
      const date = resource.period?.start;
      return {
        section: 'encounter',
        baseCategory: 'clinical',
        ...(date ? { date } : {}),
        text: paragraph('Encounter', [
          ['', conceptsText(resource.type)],
          ['class', resource.class ? (resource.class.display ?? resource.class.code) : undefined],
          ['status', resource.status],
          ['period', periodText(resource.period)],
          ['reason', conceptsText(resource.reasonCode)],
          [
            'for',
            referencesText(
              [
                ...(resource.reasonReference ?? []),
                ...(resource.diagnosis ?? []).flatMap((d) => (d.condition ? [d.condition] : [])),
              ],
              labels,
            ),
          ],
          ['at', resource.serviceProvider?.display],
        ]),
      };
    }
    case 'Condition': {
      const date = resource.onsetDateTime ?? resource.recordedDate;
      return {
        section: 'problem',
        baseCategory: 'clinical',
        ...(date ? { date } : {}),
        text: paragraph('Condition', [
          ['', conceptText(resource.code) ?? 'unspecified condition'],
          ['clinical status', statusText(resource.clinicalStatus)],
          ['verification', statusText(resource.verificationStatus)],
          ['onset', resource.onsetDateTime],
          ['resolved', resource.abatementDateTime],
          ['recorded', resource.recordedDate],
        ]),
      };
    }
    case 'MedicationRequest': {
      const date = resource.authoredOn;
      return {
        section: 'medication',
        baseCategory: 'medications',
        ...(date ? { date } : {}),
        text: paragraph('Medication request', [
          [
            '',
            conceptText(resource.medicationCodeableConcept) ??
              labels.label(resource.medicationReference) ??
              'unspecified medication',
          ],
          ['status', resource.status],
          ['intent', resource.intent],
          ['authored', resource.authoredOn],
          ['dosage', (resource.dosageInstruction ?? []).flatMap((dosage) => dosageText(dosage) ?? []).join(' then ')],
          ['reason', conceptsText(resource.reasonCode) ?? referencesText(resource.reasonReference, labels)],
        ]),
      };
    }
    case 'MedicationStatement': {
      const date = resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.dateAsserted;
      return {
        section: 'medication',
        baseCategory: 'medications',
        ...(date ? { date } : {}),
        text: paragraph('Medication statement', [
          [
            '',
            conceptText(resource.medicationCodeableConcept) ??
              labels.label(resource.medicationReference) ??
              'unspecified medication',
          ],
          ['status', resource.status],
          ['taken', resource.effectiveDateTime ?? periodText(resource.effectivePeriod)],
          ['dosage', (resource.dosage ?? []).flatMap((dosage) => dosageText(dosage) ?? []).join(' then ')],
          ['reason', conceptsText(resource.reasonCode) ?? referencesText(resource.reasonReference, labels)],
        ]),
      };
    }
    case 'AllergyIntolerance': {
      const date = resource.onsetDateTime ?? resource.recordedDate;
      const reactions = (resource.reaction ?? []).flatMap((reaction) => {
        const manifestation = conceptsText(reaction.manifestation);
        if (!manifestation) return [];
        return [reaction.severity ? `${manifestation} (${reaction.severity})` : manifestation];
      });
      return {
        section: 'allergy',
        baseCategory: 'clinical',
        ...(date ? { date } : {}),
        text: paragraph('Allergy or intolerance', [
          ['', conceptText(resource.code) ?? 'unspecified substance'],
          ['type', resource.type],
          ['category', resource.category?.join(', ')],
          ['criticality', resource.criticality],
          ['clinical status', statusText(resource.clinicalStatus)],
          ['verification', statusText(resource.verificationStatus)],
          ['reactions', reactions.length > 0 ? reactions.join(', ') : undefined],
          ['onset', resource.onsetDateTime],
          ['recorded', resource.recordedDate],
        ]),
      };
    }
    case 'Observation': {
      const date = resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.issued;
      const laboratory = hasCategoryCode(resource.category, LABORATORY);
      const kinds = (resource.category ?? []).flatMap(
        (category) => category.coding?.find((coding) => coding.code)?.code ?? [],
      );
      const components = (resource.component ?? []).flatMap((component) => {
        const value = valueText(component);
        return value ? [`${conceptText(component.code) ?? 'component'} ${value}`] : [];
      });
      return {
        section: 'result',
        baseCategory: laboratory ? 'labs' : 'clinical',
        ...(date ? { date } : {}),
        text: paragraph(kinds.length > 0 ? `Observation (${kinds.join(', ')})` : 'Observation', [
          ['', conceptText(resource.code) ?? 'unspecified observation'],
          ['value', valueText(resource)],
          ['components', components.length > 0 ? components.join(', ') : undefined],
          ['status', resource.status],
          ['effective', resource.effectiveDateTime ?? periodText(resource.effectivePeriod) ?? resource.issued],
        ]),
      };
    }
    case 'Procedure': {
      const date = resource.performedDateTime ?? resource.performedPeriod?.start;
      return {
        section: 'procedure',
        baseCategory: 'clinical',
        ...(date ? { date } : {}),
        text: paragraph('Procedure', [
          ['', conceptText(resource.code) ?? 'unspecified procedure'],
          ['status', resource.status],
          ['performed', resource.performedDateTime ?? periodText(resource.performedPeriod)],
          ['body site', conceptsText(resource.bodySite)],
          ['reason', conceptsText(resource.reasonCode) ?? referencesText(resource.reasonReference, labels)],
        ]),
      };
    }
    case 'DiagnosticReport': {
      const date = resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.issued;
      const presented = attachmentsText(resource.presentedForm ?? []);
      const note = isNoteReport(resource);
      return {
        section: note ? 'note' : 'result',
        baseCategory: note ? 'notes' : 'labs',
        ...(date ? { date } : {}),
        skippedAttachments: presented.skipped,
        text: paragraph(note ? 'Clinical note (diagnostic report)' : 'Diagnostic report', [
          ['', conceptText(resource.code) ?? 'unspecified report'],
          ['category', conceptsText(resource.category)],
          ['status', resource.status],
          ['effective', resource.effectiveDateTime ?? periodText(resource.effectivePeriod) ?? resource.issued],
          ['results', referencesText(resource.result, labels)],
          ['conclusion', resource.conclusion],
          ['conclusion codes', conceptsText(resource.conclusionCode)],
          ['text', presented.text],
        ]),
      };
    }
    case 'DocumentReference': {
      const date = resource.date ?? resource.context?.period?.start;
      const content = attachmentsText(resource.content.map((item) => item.attachment));
      return {
        section: 'note',
        baseCategory: 'notes',
        ...(date ? { date } : {}),
        skippedAttachments: content.skipped,
        text: paragraph('Clinical note', [
          ['', conceptText(resource.type) ?? 'unspecified document'],
          ['category', conceptsText(resource.category)],
          ['status', resource.status],
          ['date', resource.date ?? periodText(resource.context?.period)],
          ['encounter', referencesText(resource.context?.encounter, labels)],
          ['description', resource.description],
          [
            'text',
            content.text ??
              (content.skipped > 0 ? `(${content.skipped} attachment(s) not readable as text)` : undefined),
          ],
        ]),
      };
    }
    case 'Immunization': {
      const date = resource.occurrenceDateTime;
      return {
        section: 'immunization',
        baseCategory: 'clinical',
        ...(date ? { date } : {}),
        text: paragraph('Immunization', [
          ['', conceptText(resource.vaccineCode) ?? 'unspecified vaccine'],
          ['status', resource.status],
          ['given', resource.occurrenceDateTime ?? resource.occurrenceString],
          ['primary source', resource.primarySource === undefined ? undefined : String(resource.primarySource)],
        ]),
      };
    }
    case 'CarePlan': {
      const date = resource.period?.start;
      const activities = (resource.activity ?? []).flatMap((activity) => {
        const detail = activity.detail;
        const name = conceptText(detail?.code) ?? detail?.description;
        if (!name) return [];
        return [detail?.status ? `${name} [${detail.status}]` : name];
      });
      return {
        section: 'care-plan',
        baseCategory: 'clinical',
        ...(date ? { date } : {}),
        text: paragraph('Care plan', [
          ['', resource.title ?? conceptsText(resource.category) ?? 'unspecified care plan'],
          ['categories', resource.title ? conceptsText(resource.category) : undefined],
          ['status', resource.status],
          ['intent', resource.intent],
          ['period', periodText(resource.period)],
          ['addresses', referencesText(resource.addresses, labels)],
          ['activities', activities.length > 0 ? activities.join(', ') : undefined],
          ['description', resource.description],
        ]),
      };
    }
    case 'Claim':
    case 'ExplanationOfBenefit':
      return renderBilling(resource, labels);
  }
}

function renderPatient(patient: ResourceOf<'Patient'>): Rendering {
  const official = patient.name?.find((name) => name.use === 'official') ?? patient.name?.[0];
  const name =
    official?.text ??
    [...(official?.prefix ?? []), ...(official?.given ?? []), official?.family ?? '']
      .filter((part) => part !== '')
      .join(' ');
  const address = patient.address?.[0];
  const addressText = address
    ? [
        ...(address.line ?? []),
        address.city,
        [address.state, address.postalCode].filter(Boolean).join(' '),
        address.country,
      ]
        .filter((part) => part !== undefined && part !== '')
        .join(', ')
    : undefined;
  const phone = patient.telecom?.find((telecom) => telecom.system === 'phone')?.value;
  // Only the medical record number: SSNs, licences and passport numbers (Synthea emits them) are never needed here.
  const mrn = patient.identifier?.find((identifier) =>
    identifier.type?.coding?.some((coding) => coding.code === 'MR'),
  )?.value;
  const deceased = patient.deceasedDateTime ?? (patient.deceasedBoolean ? 'yes' : undefined);
  return {
    section: 'patient',
    baseCategory: 'demographics',
    text: paragraph('Patient', [
      ['name', name || undefined],
      ['gender', patient.gender],
      ['born', patient.birthDate],
      ['deceased', deceased],
      ['address', addressText || undefined],
      ['phone', phone],
      ['medical record number', mrn],
      ['marital status', conceptText(patient.maritalStatus)],
      ['language', conceptsText(patient.communication?.flatMap((item) => (item.language ? [item.language] : [])))],
    ]),
  };
}

function renderBilling(
  claim: ResourceOf<'Claim'> | ResourceOf<'ExplanationOfBenefit'>,
  labels: ReferenceLabels,
): Rendering {
  const date = claim.billablePeriod?.start ?? claim.created;
  const diagnoses = (claim.diagnosis ?? []).flatMap(
    (diagnosis) => conceptText(diagnosis.diagnosisCodeableConcept) ?? labels.label(diagnosis.diagnosisReference) ?? [],
  );
  const items = (claim.item ?? []).flatMap((item) => {
    const service = conceptText(item.productOrService);
    if (!service) return [];
    const net = moneyText(item.net);
    return [net ? `${service} ${net}` : service];
  });
  const common: ReadonlyArray<readonly [string, string | undefined]> = [
    ['', conceptText(claim.type) ?? 'unspecified type'],
    ['use', claim.use],
    ['status', claim.status],
    ['billable period', periodText(claim.billablePeriod)],
    ['created', claim.created],
    ['diagnoses', diagnoses.length > 0 ? diagnoses.join(', ') : undefined],
    ['items', items.length > 0 ? items.join(', ') : undefined],
  ];
  const totals =
    claim.resourceType === 'Claim'
      ? [['total', moneyText(claim.total)] as const]
      : [
          ['outcome', claim.outcome] as const,
          [
            'totals',
            (claim.total ?? [])
              .flatMap((total) => {
                const amount = moneyText(total.amount);
                return amount ? [`${conceptText(total.category) ?? 'amount'} ${amount}`] : [];
              })
              .join(', '),
          ] as const,
          ['payment', moneyText(claim.payment?.amount)] as const,
        ];
  return {
    section: 'billing',
    baseCategory: 'billing',
    ...(date ? { date } : {}),
    text: paragraph(claim.resourceType === 'Claim' ? 'Claim' : 'Explanation of benefit', [...common, ...totals]),
  };
}

/** A short label for a resource another one refers to ("Hypertension (SNOMED CT 59621000)", "HbA1c 7.9 %"). */
export function referenceLabel(resource: KnownResource): string | undefined {
  switch (resource.resourceType) {
    case 'Observation': {
      const name = conceptText(resource.code);
      const value = valueText(resource);
      return name && value ? `${name} ${value}` : name;
    }
    case 'Encounter': {
      const type = conceptsText(resource.type) ?? 'encounter';
      return resource.period?.start ? `${type} on ${resource.period.start}` : type;
    }
    case 'Condition':
    case 'Procedure':
    case 'AllergyIntolerance':
    case 'DiagnosticReport':
      return conceptText(resource.code);
    case 'MedicationRequest':
    case 'MedicationStatement':
      return conceptText(resource.medicationCodeableConcept);
    case 'Immunization':
      return conceptText(resource.vaccineCode);
    case 'Medication':
      return conceptText(resource.code);
    case 'DocumentReference':
      return conceptText(resource.type);
    case 'CarePlan':
      return resource.title ?? conceptsText(resource.category);
    case 'Claim':
    case 'ExplanationOfBenefit':
      return `${resource.resourceType} ${resource.id}`;
    case 'Patient':
      // The patient is the subject of everything; naming them again adds PHI and nothing else.
      return undefined;
  }
}
