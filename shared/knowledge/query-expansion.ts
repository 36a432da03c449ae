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
 *
 * Provenance: the first 47 groups came partly from the tuning question set's misses; the rest were written in a
 * later pass from the sample handbook alone, section by section (its policy words and the everyday words people use
 * for them), by an author who saw none of the question sets; ADR 0005 has the measurements. A practice with other
 * documents extends this table with its own vocabulary in the same way.
 */
export const CLINIC_SYNONYMS: readonly (readonly string[])[] = [
  // People and roles
  ['doctor', 'doc', 'physician', 'clinician', 'provider', 'prescriber', 'md'],
  ['nurse', 'lpn', 'rn', 'nursing staff'],
  ['medical assistant', 'ma'],
  ['teenager', 'teen', 'adolescent', 'child', 'children', 'kid', 'minor', 'son', 'daughter'],
  ['caregiver', 'family member', 'relative', 'proxy', 'spouse', 'parent', 'son', 'daughter', 'guardian'],
  ['front desk', 'reception', 'receptionist', 'front office'],
  ['neighbour', 'neighbor'],
  ['colleague', 'coworker', 'co-worker', 'workmate'],
  // Visits and scheduling
  ['appointment', 'appt', 'visit'],
  ['video visit', 'video appointment', 'telehealth', 'telemedicine', 'virtual visit', 'zoom', 'video call'],
  ['late', 'behind', 'delayed', 'running late', 'stuck in traffic', 'traffic'],
  ['same day', 'today', 'urgent', 'sick visit', 'squeeze in'],
  ['hours', 'open', 'opening', 'closing'],
  ['after hours', 'after-hours', 'on call', 'on-call', 'overnight', 'night', 'weekend', 'evening'],
  ['handoff', 'hand off', 'handover', 'hand back', 'pass on', 'sign out', 'hand over', 'pass along'],
  ['vacation', 'on leave', 'away', 'absent', 'out of office', 'covering for', 'cover for', 'absence', 'pto'],
  ['discharge', 'discharged', 'out of the hospital', 'left the hospital', 'home from the hospital'],
  ['new patient', 'first visit', 'first appointment', 'establish care'],
  ['preventive visit', 'annual physical', 'physical exam', 'wellness visit', 'checkup', 'check-up', 'preventative'],
  ['walk-in', 'walk-ins', 'no appointment', 'without an appointment', 'drop in', 'drop-in'],
  ['callback', 'call back', 'call me back', 'return call', 'returned the call', 'hear back', 'get back to me'],
  // After hours and on call
  [
    'cannot be reached',
    "can't reach",
    'unable to reach',
    'unreachable',
    'no answer',
    'not answering',
    "doesn't answer",
    "didn't answer",
    'unanswered',
    'no response',
  ],
  ['turnaround', 'response time', 'how quickly', 'how soon', 'timeline', 'timeframe', 'how long does it take'],
  // Office hours and getting here
  ['weekday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'monday to friday', 'workday'],
  ['holiday', 'christmas', 'thanksgiving', 'new year', 'fourth of july', 'memorial day', 'labor day'],
  ['weather', 'bad weather', 'snow', 'snowstorm', 'storm', 'blizzard', 'hurricane', 'icy roads', 'snow day'],
  ['location', 'find the building', 'find the office', 'how to get there', 'driving directions', 'map link', 'gps'],
  ['check in', 'arrive', 'arrive early', 'how early', 'come early'],
  // Places and access
  ['parking', 'park', 'parking lot', 'garage'],
  [
    'handicap',
    'handicapped',
    'disabled',
    'disability',
    'wheelchair accessible',
    'accessible parking',
    'accessible entrance',
    'wheelchair',
    'ada',
    'placard',
  ],
  ['emergency room', 'er', 'ed', 'emergency department'],
  ['interpreter', 'translator', 'translation', 'language barrier', "doesn't speak english", 'sign language'],
  // Medicines and orders
  ['medication', 'med', 'meds', 'medicine', 'drug', 'pill', 'pills', 'tablet'],
  ['prescription', 'rx', 'script'],
  ['refill', 'renewal', 'renew', 'repeat prescription', 'reorder'],
  [
    'prior authorization',
    'prior auth',
    'pa',
    'preauthorization',
    'pre-authorization',
    'precertification',
    'preapproval',
    'pre-approval',
  ],
  ['blood pressure', 'bp', 'hypertension'],
  ['shot', 'vaccine', 'vaccination', 'immunization', 'jab'],
  ['fridge', 'refrigerator', 'freezer', 'storage unit'],
  ['power outage', 'power failure', 'blackout', 'outage', 'power went out', 'power is out', 'power cut', 'no power'],
  ['medication list', 'med list', 'list of medications', 'list of medicines', 'medication reconciliation', 'med rec'],
  ['run out', 'ran out', 'running out', 'out of medication', 'out of my medicine', 'out of pills', 'almost out'],
  ['bridge refill', 'bridge supply', 'short supply', 'emergency supply', 'temporary supply', 'tide me over', 'stopgap'],
  ['delegated refill', 'standing order', 'protocol refill', 'nurse refill'],
  ['early refill', 'refill early', 'fill early', 'early fill', 'too soon', 'too early'],
  ['lost', 'stolen', 'misplaced', 'theft', 'robbed', 'stole', 'swiped'],
  // Controlled substances
  ['controlled substance', 'controlled medication', 'controlled drug', 'narcotic', 'scheduled drug'],
  ['opioid', 'opiate', 'painkiller', 'pain pills', 'oxycodone', 'hydrocodone', 'percocet', 'vicodin', 'norco'],
  ['benzodiazepine', 'benzo', 'xanax', 'alprazolam', 'ativan', 'lorazepam', 'klonopin', 'clonazepam', 'valium'],
  ['pdmp', 'pmp', 'prescription monitoring program', 'prescription drug monitoring program', 'state database'],
  ['urine drug screen', 'urine drug test', 'drug test', 'drug screen', 'uds', 'tox screen', 'toxicology screen'],
  // Prior authorization and insurance decisions
  ['denial', 'denied', 'turned down', 'rejected', 'rejection', 'said no', 'not covered', "won't cover"],
  ['appeal', 'reconsideration', 'redetermination', 'overturn', 'fight the denial'],
  ['step therapy', 'fail first', 'preferred alternative', 'preferred drug', 'formulary alternative'],
  ['durable medical equipment', 'dme', 'cpap', 'oxygen', 'cgm', 'dexcom', 'libre', 'walker'],
  ['imaging', 'x-ray', 'xray', 'mri', 'ct scan', 'cat scan', 'pet scan', 'ultrasound', 'mammogram', 'radiology'],
  ['expire', 'expiry', 'expiration date', 'expiry date', 'out of date'],
  ['peer-to-peer', 'peer to peer', 'doctor-to-doctor', 'p2p'],
  // Vaccines and the cold chain
  ['temperature', 'temp'],
  ['degrees', 'celsius', 'fahrenheit', 'centigrade'],
  ['acceptable range', 'temperature range', 'right temperature', 'safe temperature', 'how cold', 'how warm'],
  ['excursion', 'temperature excursion', 'cold-chain excursion', 'temperature deviation', 'deviation', 'fridge froze'],
  ['out of range', 'out-of-range', 'outside the range', 'too warm', 'too cold', 'too hot', 'got warm'],
  ['data logger', 'datalogger', 'logger', 'thermometer', 'temperature monitor', 'temp monitor', 'probe'],
  ['alarm', 'beeping', 'buzzing', 'chirping'],
  ['potency', 'potent', 'still good', 'still usable', 'usable', 'viable', 'spoiled', 'compromised', 'damaged'],
  ['dorm fridge', 'dormitory-style', 'mini fridge', 'bar fridge', 'household fridge', 'combination unit'],
  // Tests and results
  ['labs', 'lab work', 'bloodwork', 'blood work', 'blood test', 'blood draw', 'blood drawn', 'phlebotomy'],
  ['result', 'results', 'lab report', 'test report'],
  ['look at', 'review', 'read', 'look over', 'proofread'],
  ['fasting', 'empty stomach', 'nothing to eat', 'no food', 'without eating', 'skip breakfast', "don't eat"],
  ['eat', 'food', 'diet', 'drink', 'liquids', 'snack', 'meal', 'breakfast'],
  ['colonoscopy prep', 'bowel prep', 'bowel preparation', 'prep', 'laxative', 'golytely', 'miralax', 'clean out'],
  ['phone', 'phoned', 'call', 'called'],
  ['pending orders', 'outstanding orders', 'unresulted', 'results not back', 'missing results'],
  ['abnormal', 'abnormal result', 'not normal', 'flagged result', 'bad result', 'concerning result'],
  ['unreviewed', 'not yet reviewed', 'before review', 'before my doctor', 'cures act', 'automatic release'],
  ['critical value', 'critical result', 'critical lab', 'panic value', 'panic lab', 'alert value', 'dangerously high'],
  ['glucose', 'blood sugar', 'sugar level', 'blood glucose'],
  // Preparing for a visit
  ['computer', 'laptop', 'ipad', 'smartphone', 'device', 'desktop', 'chromebook'],
  ['clear liquids', 'clear liquid diet', 'jello', 'gelatin', 'popsicle', 'ice pop', 'broth', 'gatorade'],
  ['ride home', 'drive me home', 'someone to drive me', 'take me home', 'pick me up', 'taxi', 'uber', 'lyft'],
  ['photo id', 'photo identification', "driver's license", 'driving license', 'passport', 'state id'],
  // Emergencies and urgent problems
  ['911', 'ambulance', 'emergency services', 'paramedics', 'ems'],
  ['chest pain', 'heart attack', 'chest pressure', 'chest tightness', 'tight chest'],
  [
    'trouble breathing',
    'shortness of breath',
    'short of breath',
    'difficulty breathing',
    "can't breathe",
    'cannot breathe',
    'out of breath',
    'breathless',
    'hard to breathe',
  ],
  ['stroke', 'face drooping', 'facial droop', 'drooping', 'slurred speech', 'slurring', 'tia', 'mini stroke'],
  ['faint', 'passed out', 'pass out', 'unconscious', 'collapsed', 'unresponsive'],
  ['overdose', 'od', 'poison', 'took too many', 'too many pills', 'too much medicine', 'swallowed something'],
  ['severe allergic reaction', 'anaphylaxis', 'anaphylactic', 'throat closing', 'throat swelling', 'swollen tongue'],
  // Money
  [
    'insurance',
    'insurer',
    'insured',
    'insurance company',
    'carrier',
    'payer',
    'health plan',
    'my plan',
    'which plans',
    'what plans',
    'my coverage',
    'health coverage',
  ],
  ['bill', 'statement', 'invoice', 'charge'],
  [
    'no insurance',
    'uninsured',
    'self-pay',
    'afford',
    'financial assistance',
    'sliding scale',
    'cost',
    'money',
    'without insurance',
    'cash price',
    'pay cash',
    'sliding fee',
    "can't pay",
  ],
  ['copay', 'co-pay', 'copayment', 'co-payment'],
  ['estimate', 'good faith estimate', 'cost estimate', 'price estimate', 'quote', 'how much will it cost'],
  ['billing error', 'amount looks wrong', 'wrong bill', 'overcharged', 'charged twice', 'double charged'],
  ['payment plan', 'installments', 'installment plan', 'monthly payments', 'pay over time', 'payment arrangement'],
  ['referral', 'refer', 'sent to a specialist', 'send me to a specialist'],
  ['paperwork', 'documentation', 'forms', 'records'],
  // Medical records and forms
  ['medical records', 'my records', 'health records', 'copy of my records', 'my medical file', 'records request'],
  ['send my records', 'transfer my records', 'forward my records', 'release of records', 'release form'],
  ['correction', 'amend', 'amendment', 'addendum', 'fix my record', 'error in my record', 'change my record'],
  ['school form', 'sports form', 'work form', 'disability form', 'fmla', 'work note', 'doctor note', 'sick note'],
  // Portal and devices
  ['portal', 'app', 'login', 'log in', 'online account', 'mychart'],
  ['sign up', 'register', 'create account', 'enroll', 'activation', 'signup', 'set up an account', 'make an account'],
  ['personal phone', 'personal device', 'own phone', 'cell phone', 'mobile'],
  [
    'two-step verification',
    'two-step',
    'two-factor',
    '2fa',
    'multi-factor',
    'mfa',
    'authenticator',
    'verification code',
    'security code',
  ],
  ['forgot password', 'forgot my password', 'forgotten password', 'reset password', 'password reset'],
  ['locked out', 'account locked', 'lockout', 'too many attempts', 'cannot log in', "can't log in", 'unable to log in'],
  ['proxy access', 'family access', 'parent access', 'caregiver access', 'shared access', 'access my child'],
  ['phishing', 'scam', 'suspicious email', 'fake email', 'spam'],
  ['portal message', 'secure message', 'message my doctor', 'email my doctor', 'email the doctor'],
  // Clinical safety
  ['patient identification', 'verify identity', 'confirm identity', 'verify my identity', 'check id'],
  ['date of birth', 'dob', 'birthday', 'birth date', 'birthdate'],
  ['entered in error', 'wrong chart', 'wrong record', 'documented in the wrong chart'],
  ['hand hygiene', 'hand washing', 'wash hands', 'wash my hands', 'hand sanitizer', 'sanitizer', 'hand rub', 'purell'],
  ['ppe', 'personal protective equipment', 'protective equipment', 'protective gear', 'n95', 'respirator'],
  ['disinfect', 'disinfectant', 'wipe down', 'disinfectant wipe', 'bleach wipe', 'sani wipe', 'cavi wipe'],
  // Safety and privacy
  ['needlestick', 'needle stick', 'sharps injury', 'needle injury', 'stuck myself', 'stuck with a needle'],
  [
    'chatbot',
    'chatgpt',
    'ai',
    'artificial intelligence',
    'ai tool',
    'chat gpt',
    'gpt',
    'copilot',
    'gemini',
    'claude',
    'openai',
    'llm',
    'large language model',
    'generative ai',
  ],
  [
    'phi',
    'protected health information',
    'patient name',
    'identifiers',
    'patient information',
    'patient info',
    'patient data',
    'patient details',
    'personal health information',
  ],
  [
    'mistake',
    'error',
    'incident',
    'breach',
    'wrong',
    'accidentally',
    'by accident',
    'inadvertently',
    'oops',
    'messed up',
  ],
  ['retaliation', 'in trouble', 'get in trouble', 'punished', 'discipline', 'get fired', 'be fired', 'lose my job'],
  [
    'hurt myself',
    'self-harm',
    'suicide',
    'suicidal',
    'mental health crisis',
    'crisis',
    'kill myself',
    'killing themselves',
    'harming yourself',
    'end my life',
    'want to die',
    '988',
    'suicide hotline',
    'lifeline',
  ],
  ['snooping', 'snoop', 'peek', 'looking up', 'without a work reason', 'no work reason', 'curiosity', 'nosy'],
  ['minimum necessary', 'need to know', 'only what is needed', 'only what you need', 'whole chart', 'entire chart'],
  ['de-identified', 'deidentified', 'de-identification', 'anonymized', 'anonymised', 'redacted', 'remove names'],
  ['audit', 'audit trail', 'access log', 'who looked at my chart', 'who viewed my chart', 'accounting of disclosures'],
  ['approved tools', 'allowed tools', 'permitted tools', 'whitelist', 'allowlist', 'vetted tools', 'sanctioned tools'],
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
