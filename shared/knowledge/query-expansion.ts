/**
 * Query-side expansion with a small table of words that a practice's staff and patients use interchangeably, so a
 * question asked in everyday words ("fridge", "shot", "handicap parking") still meets a handbook written in
 * policy words ("refrigerator", "vaccine", "accessible parking"). Expanded terms score at a reduced weight, so a
 * chunk that uses the asker's own words still ranks first.
 */
import { STOP_WORD_MARK } from './english-analyzer.ts';

/**
 * Groups of interchangeable words and phrases (rules as data): when a query contains one entry of a group, the
 * other entries are added to it. An entry may be several words; it matches the same words in a row, after stop
 * words are dropped and words are stemmed. Keep each group to one meaning, because every entry stands for all others.
 */
export const CLINIC_SYNONYMS: readonly (readonly string[])[] = [
  // People and roles
  ['doctor', 'doc', 'physician', 'clinician', 'provider', 'prescriber', 'md'],
  ['nurse', 'lpn', 'rn', 'nursing staff'],
  ['medical assistant', 'ma'],
  ['insurer', 'insurance company', 'payer', 'health plan', 'plan'],
  ['teenager', 'teen', 'adolescent', 'child', 'children', 'kid', 'minor', 'son', 'daughter'],
  ['caregiver', 'family member', 'relative', 'proxy', 'spouse', 'parent', 'son', 'daughter'],
  // Visits and scheduling
  ['appointment', 'appt', 'visit'],
  ['video visit', 'video appointment', 'telehealth', 'telemedicine', 'virtual visit'],
  ['late', 'behind', 'delayed', 'running late'],
  ['same day', 'today', 'urgent'],
  ['hours', 'open', 'opening', 'closing'],
  ['after hours', 'after-hours', 'on call', 'on-call', 'overnight', 'night', 'weekend', 'evening'],
  ['handoff', 'hand off', 'handover', 'hand back', 'pass on', 'sign out'],
  ['vacation', 'leave', 'away', 'absent', 'out of office', 'covering', 'coverage'],
  ['discharge', 'discharged', 'out of the hospital'],
  // Places and access
  ['parking', 'park', 'parking lot', 'garage'],
  ['handicap', 'handicapped', 'disabled', 'disability', 'accessible', 'wheelchair', 'ada'],
  ['emergency room', 'er', 'ed', 'emergency department'],
  // Medicines and orders
  ['medication', 'med', 'meds', 'medicine', 'drug', 'pill', 'pills', 'tablet'],
  ['prescription', 'rx', 'script'],
  ['refill', 'renewal', 'renew'],
  ['prior authorization', 'prior auth', 'pa', 'preauthorization', 'pre-authorization', 'precertification'],
  ['blood pressure', 'bp', 'hypertension'],
  ['shot', 'vaccine', 'vaccination', 'immunization', 'jab'],
  ['fridge', 'refrigerator', 'freezer', 'storage unit'],
  ['power outage', 'power failure', 'blackout'],
  // Tests and results
  ['labs', 'lab work', 'bloodwork', 'blood work', 'blood test', 'blood draw', 'blood drawn'],
  ['result', 'results', 'report'],
  ['look at', 'review', 'read'],
  ['fasting', 'empty stomach', 'nothing to eat'],
  ['eat', 'food', 'diet', 'drink', 'liquids'],
  ['colonoscopy prep', 'bowel prep', 'bowel preparation'],
  ['phone', 'phoned', 'call', 'called'],
  // Money
  ['bill', 'statement', 'invoice', 'charge'],
  ['insurance', 'coverage', 'plan', 'insured'],
  ['no insurance', 'uninsured', 'self-pay', 'afford', 'financial assistance', 'sliding scale', 'cost', 'money'],
  ['paperwork', 'documentation', 'forms', 'records'],
  ['peer-to-peer', 'peer to peer', 'doctor-to-doctor', 'p2p'],
  // Portal and devices
  ['portal', 'app', 'login', 'log in', 'online account'],
  ['sign up', 'register', 'create account', 'enroll', 'activation'],
  ['personal phone', 'personal device', 'own phone', 'cell phone', 'mobile'],
  // Safety and privacy
  ['needlestick', 'needle stick', 'sharps injury', 'needle injury'],
  ['chatbot', 'chatgpt', 'ai', 'artificial intelligence', 'ai tool'],
  ['phi', 'protected health information', 'patient name', 'identifiers'],
  ['mistake', 'error', 'incident', 'breach', 'wrong'],
  ['retaliation', 'trouble', 'punished', 'discipline', 'fired'],
  ['hurt myself', 'self-harm', 'suicide', 'suicidal', 'mental health crisis', 'crisis'],
];

/** Expanded terms score at this share of a term the asker typed. */
export const EXPANSION_WEIGHT = 0.5;

export interface WeightedTerm {
  readonly term: string;
  readonly weight: number;
}

/**
 * How the index turns text into terms; the expander uses the same, so the table's words meet the index's. The index
 * passes `analyzePhrase`, which keeps stop words as marks: "on call" then matches only "on call", not every "call",
 * and "log in" only "log in". A plain `tokenize` works too, with stop words simply ignored.
 */
export type Analyzer = (text: string) => string[];

export interface QueryExpanderOptions {
  readonly groups?: readonly (readonly string[])[];
  readonly weight?: number;
}

const isTerm = (term: string) => !term.startsWith(STOP_WORD_MARK);

export class QueryExpander {
  private readonly weight: number;
  /** Each group as term sequences; a group whose entries analyse to nothing is dropped. */
  private readonly groups: readonly (readonly (readonly string[])[])[];
  /** Groups by the first term of any of their entries, so a query only checks groups it could match. */
  private readonly byFirstTerm = new Map<string, number[]>();

  constructor(analyze: Analyzer, options: QueryExpanderOptions = {}) {
    this.weight = options.weight ?? EXPANSION_WEIGHT;
    if (!(this.weight >= 0 && this.weight <= 1)) throw new RangeError('the expansion weight must be within [0, 1]');
    this.groups = (options.groups ?? CLINIC_SYNONYMS)
      .map((group) => group.map((entry) => analyze(entry)).filter((terms) => terms.some(isTerm)))
      .filter((group) => group.length > 1);
    this.groups.forEach((group, position) => {
      for (const first of new Set(group.map((terms) => terms[0] ?? ''))) {
        const positions = this.byFirstTerm.get(first) ?? [];
        positions.push(position);
        this.byFirstTerm.set(first, positions);
      }
    });
  }

  /**
   * The query's own terms at weight 1 (once each), then the terms of every matched group at the reduced weight.
   * `terms` may hold stop-word marks (`analyzePhrase`), which take part in phrase matching only.
   */
  expand(terms: readonly string[]): WeightedTerm[] {
    const weights = new Map<string, number>();
    for (const term of terms) if (isTerm(term)) weights.set(term, 1);
    if (this.weight === 0) return [...weights].map(([term, weight]) => ({ term, weight }));
    const matched = new Set<number>();
    terms.forEach((term, start) => {
      for (const position of this.byFirstTerm.get(term) ?? []) {
        const group = this.groups[position] ?? [];
        if (group.some((entry) => entry.every((word, offset) => terms[start + offset] === word))) {
          matched.add(position);
        }
      }
    });
    for (const position of matched) {
      for (const entry of this.groups[position] ?? []) {
        for (const term of entry) if (isTerm(term) && !weights.has(term)) weights.set(term, this.weight);
      }
    }
    return [...weights].map(([term, weight]) => ({ term, weight }));
  }
}
