/**
 * A seeded generator of clinic-protocol-like chunks and staff questions for the scale benchmark. The text is
 * template prose over real clinical vocabulary plus a Zipf-distributed long tail of made-up words (drug brands,
 * local jargon), so posting lists have a realistic spread from very common to very rare terms. It is invented:
 * no person, practice or patient appears in it.
 */
import type { KnowledgeChunk } from '../../shared/knowledge/knowledge-document.ts';
import { DIAGNOSES, LAB_TESTS, MEDICATIONS, PROCEDURES } from '../data/clinical-vocabulary.ts';
import { SeededRandom } from '../data/seeded-random.ts';

// biome-ignore format: a word list reads better packed than one entry per line
const ROLES = [
  'the triage nurse', 'the refill nurse', 'the front desk', 'the on-call physician', 'the medical assistant',
  'the practice manager', 'the billing team', 'the covering clinician', 'the referral coordinator',
  'the prior authorization specialist', 'the lab liaison', 'the clinical pharmacist', 'the charge nurse',
  'the infection prevention lead', 'the compliance officer', 'the scheduling team', 'the care coordinator',
] as const;
// biome-ignore format: a word list reads better packed than one entry per line
const ACTIONS = [
  'documents', 'verifies', 'escalates', 'reviews', 'schedules', 'calls back about', 'records', 'confirms',
  'routes', 'flags', 'approves', 'declines', 'reconciles', 'audits', 'logs', 'checks', 'forwards', 'signs off on',
] as const;
// biome-ignore format: a word list reads better packed than one entry per line
const OBJECTS = [
  'the refill request', 'the vaccine temperature log', 'the prior authorization', 'the critical lab value',
  'the temperature excursion', 'the portal message', 'the referral packet', 'the controlled substance agreement',
  'the standing order', 'the after-hours call', 'the insurance eligibility check', 'the sharps container',
  'the specimen label', 'the incident report', 'the consent form', 'the appointment reminder', 'the no-show fee',
  'the medication reconciliation', 'the fall risk screening', 'the hand hygiene audit', 'the emergency cart check',
  'the interpreter request', 'the records release', 'the superbill', 'the claim denial', 'the payment plan',
] as const;
// biome-ignore format: a word list reads better packed than one entry per line
const CONDITIONS = [
  'within two business days', 'before the end of the shift', 'when the patient reports chest pain',
  'if the reading is outside the range', 'during the morning huddle', 'after hours and on weekends',
  'when the pharmacy calls', 'before the visit', 'on the same business day', 'when the payer denies coverage',
  'if the patient is pregnant', 'when the lab calls with a critical result', 'before the vaccine is administered',
  'if the refrigerator alarm sounds', 'when the portal is down', 'at the start of each month',
  'when an interpreter is needed', 'if the medication list does not match', 'after a hospital discharge',
] as const;
// biome-ignore format: a word list reads better packed than one entry per line
const SECTIONS = [
  'Purpose and scope', 'Roles and responsibilities', 'Procedure', 'Escalation', 'Documentation', 'Exceptions',
  'Turnaround standards', 'Monitoring and audit', 'Training', 'Definitions', 'Patient communication',
  'After-hours coverage', 'Equipment', 'Storage and handling', 'Billing and coding', 'Quality measures',
  'Infection prevention', 'Emergencies', 'Records and retention', 'Review and approval',
] as const;
// biome-ignore format: a word list reads better packed than one entry per line
const TOPICS = [
  'Medication refill', 'Vaccine storage', 'Critical lab value', 'Prior authorization', 'After-hours triage',
  'Hand hygiene', 'Referral management', 'Controlled substance', 'Patient portal', 'Fall prevention',
  'Specimen handling', 'Emergency cart', 'Interpreter services', 'Records release', 'Claim denial',
  'Appointment scheduling', 'Sharps disposal', 'Telehealth visit', 'Immunization outreach', 'Chronic care management',
] as const;
const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'vo', 'zan', 'qui', 'dex', 'ra', 'pol', 'sul', 'mek', 'tor', 'vin', 'lu'];

const CLINICAL_TERMS = [
  ...DIAGNOSES.map((diagnosis) => diagnosis.name),
  ...MEDICATIONS.map((medication) => medication.name.split(' ')[0] ?? medication.name),
  ...LAB_TESTS.map((test) => test.name),
  ...PROCEDURES.map((procedure) => procedure.name),
];

export interface SyntheticCorpusOptions {
  readonly seed: string;
  readonly chunks: number;
  readonly chunksPerDocument: number;
  readonly longTailWords?: number;
}

/** A Zipf(s = 1.07) sampler over `size` ranks, by inverse CDF on a precomputed table. */
function zipf(size: number, random: SeededRandom): () => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank++) {
    total += 1 / (rank + 1) ** 1.07;
    cumulative[rank] = total;
  }
  return () => {
    const target = random.next() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

export class SyntheticProtocols {
  private readonly random: SeededRandom;
  private readonly longTail: string[];
  private readonly pickRare: () => number;

  constructor(private readonly options: SyntheticCorpusOptions) {
    this.random = new SeededRandom(options.seed);
    const words = new Set<string>();
    const size = options.longTailWords ?? 30_000;
    while (words.size < size) {
      let word = '';
      for (let count = this.random.int(2, 4); count > 0; count--) word += this.random.pick(SYLLABLES);
      words.add(word);
    }
    this.longTail = [...words];
    this.pickRare = zipf(size, this.random);
  }

  private rare(): string {
    return this.longTail[this.pickRare()] ?? 'kalo';
  }

  private sentence(): string {
    const random = this.random;
    const subject = random.pick(ROLES);
    const parts = [subject.charAt(0).toUpperCase() + subject.slice(1), random.pick(ACTIONS), random.pick(OBJECTS)];
    if (random.chance(0.6)) parts.push(random.pick(CONDITIONS));
    if (random.chance(0.45)) parts.push(`for ${random.pick(CLINICAL_TERMS)}`);
    if (random.chance(0.5))
      parts.push(`using the ${this.rare()} ${random.pick(['form', 'queue', 'checklist', 'log'])}`);
    if (random.chance(0.3)) parts.push(`and notes ${this.rare()} and ${this.rare()} in the record`);
    return `${parts.join(' ')}.`;
  }

  private chunkText(): string {
    const target = this.random.int(150, 330);
    const sentences: string[] = [];
    let words = 0;
    while (words < target) {
      const sentence = this.sentence();
      sentences.push(sentence);
      words += sentence.split(' ').length;
    }
    return sentences.join(' ');
  }

  /** Documents of `chunksPerDocument` chunks each, `chunks` in all, generated lazily. */
  *documents(): Generator<KnowledgeChunk[]> {
    const { chunks, chunksPerDocument } = this.options;
    for (let documentIndex = 0; documentIndex * chunksPerDocument < chunks; documentIndex++) {
      const documentId = `synthetic-protocol-${documentIndex}`;
      const title = `${this.random.pick(TOPICS)} protocol ${documentIndex}`;
      const audience = this.random.chance(0.2) ? ('public' as const) : ('staff' as const);
      const count = Math.min(chunksPerDocument, chunks - documentIndex * chunksPerDocument);
      const documentChunks: KnowledgeChunk[] = [];
      for (let ordinal = 0; ordinal < count; ordinal++) {
        const section = this.random.pick(SECTIONS);
        documentChunks.push({
          chunkId: `${documentId}:${ordinal.toString(16).padStart(12, '0')}`,
          documentId,
          title,
          audience,
          version: '1',
          headingPath: [title, section],
          text: this.chunkText(),
          ordinal,
        });
      }
      yield documentChunks;
    }
  }

  /** Staff-style questions over the same vocabulary; about half name a rare term. */
  questions(count: number): string[] {
    const random = this.random;
    const questions: string[] = [];
    for (let index = 0; index < count; index++) {
      const object = random.pick(OBJECTS).replace(/^the /, '');
      const question = random.pick([
        `What is our protocol for ${object} ${random.pick(CONDITIONS)}?`,
        `Who ${random.pick(ACTIONS)} ${random.pick(OBJECTS)} for ${random.pick(CLINICAL_TERMS)}?`,
        `How does ${random.pick(ROLES)} handle ${object}?`,
        `When do we escalate ${object}?`,
      ]);
      questions.push(random.chance(0.5) ? `${question.slice(0, -1)} with the ${this.rare()} checklist?` : question);
    }
    return questions;
  }
}
