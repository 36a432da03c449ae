/** The public patient FAQ's safety gate: decides, before any retrieval, whether an anonymous message may be answered. */

/** Why a message was refused, in the order the gate checks them. */
export const FAQ_REFUSAL_REASONS = ['empty', 'contains-phi', 'emergency', 'clinical-question'] as const;
export type FaqRefusalReason = (typeof FAQ_REFUSAL_REASONS)[number];

export type FaqScreening = { readonly allowed: true } | { readonly allowed: false; readonly reason: FaqRefusalReason };

/** A rule refuses a message when every one of its patterns matches the normalised text (lower case, straight quotes). */
export interface FaqScreeningRule {
  readonly id: string;
  readonly reason: 'emergency' | 'clinical-question';
  readonly patterns: readonly RegExp[];
  /** Why the rule exists, for reviewers of a refusal. */
  readonly why: string;
  /** A message the rule must refuse; the tests run every example. */
  readonly example: string;
}

/** Words that make a statement about the writer or someone they speak for ("my", "he", "we"). */
const PERSONAL =
  /\b(?:i|i'?m|i'?ve|i'?d|i'?ll|me|my|myself|we|we'?re|our|us|he|he'?s|she|she'?s|his|her|him|they'?re|their|them)\b/;

const SYMPTOM =
  /\b(?:fevers?|feverish|rash(?:es)?|hives|cough(?:s|ing)?|sore throat|headaches?|migraines?|pain(?:s|ful)?|hurts?|hurting|aches?|aching|sore|dizzy|dizziness|light-?headed|faint|nause(?:a|ous|ated)|vomit(?:s|ed|ing)?|throwing up|threw up|diarrh(?:ea|oea)|constipat\w*|swelling|swollen|lumps?|bumps?|itch(?:y|ing)?|burning|bleeding|bled|bruis\w*|infect(?:ed|ion|ions)|sick(?! (?:visits?|appointments?|days?|notes?|slots?))|ill|nosebleeds?|congest\w*|runny nose|sneez\w*|wheez\w*|short of breath|fatigue|exhausted|insomnia|can'?t sleep|anxious|anxiety|depress(?:ed|ion)|panic attacks?|palpitations|racing heart|numb(?:ness)?|tingling|blurry|blurred|discharge|spotting|cramp(?:s|ing)?|earache|ear infection|pink ?eye|uti|peeing|stool(?! samples?)|bowel movements?|heartburn|reflux|symptoms?|injur(?:ed|y|ies)|sprain(?:ed|s)?|broke|broken|fractur\w*|bitten|bit by|(?:dog|cat|tick|spider|insect|bug|animal) bites?|stung|burn(?:ed|t)|fell (?:down|over|off|and)|fallen|hit (?:my|his|her|their) head|(?:have|has|got|caught|with) (?:the |a )?(?:flu|covid|cold|strep|stomach bug|virus))\b/;

/** Conditions; "a covid test" or "the shingles vaccine" asks about a service, not about the writer. */
const DISEASE =
  /\b(?:cancer|tumou?rs?|diabet(?:es|ic)|pre-?diabet\w*|covid|strep|pneumonia|bronchitis|asthma|copd|hypertension|high blood pressure|heart disease|a-?fib|arthritis|shingles|lyme|stds?|stis?|hiv|herpes|hepatitis|adhd|dementia|alzheimer'?s|gout|ulcers?|hernia|concussion|kidney stones?|gallstones?|sleep apnea|eczema|psoriasis|acne)\b(?! (?:tests?|testing|screenings?|vaccines?|vaccinations?|shots?|boosters?|clinics?))/;

const MEDICATION_NAME =
  /\b(?:ibuprofen|advil|motrin|acetaminophen|tylenol|paracetamol|aspirin|naproxen|aleve|antibiotics?|amoxicillin|azithromycin|penicillin|prednisone|steroids?|insulin|metformin|ozempic|wegovy|mounjaro|semaglutide|tirzepatide|lisinopril|amlodipine|atorvastatin|statins?|warfarin|eliquis|blood thinners?|benadryl|antihistamines?|melatonin|birth control|contraceptives?|opioids?|oxycodone|hydrocodone|tramadol|adderall|xanax|zoloft|prozac|antidepressants?|sleeping pills?|nyquil|sudafed|decongestants?|cough syrup|naloxone|narcan)\b/;

const MEDICATION_WORD = /\b(?:medications?|medicines?|meds|pills?|tablets?|capsules?|drugs?|prescriptions?)\b/;

/** Someone taking or changing a medicine; "how long does it take" is not one, so "take" needs a subject before it. */
const MEDICATION_ACTION =
  /\b(?:(?:i|we|he|she|they|you|to|and|or|child|son|daughter|baby|kid)\s+(?:take|stop|start|skip|double|increase|decrease|lower|raise|switch|change|mix|combine|crush|split)|taking|took|stopp(?:ed|ing)|starting|skipp(?:ed|ing)|doubling|mixing|missed|forgot(?:ten)? (?:to take|my|a)|with food|on an empty stomach)\b/;

const TEST_WORD =
  /\b(?:results?|labs?|lab work|blood ?work|blood tests?|tests?|scans?|x-?rays?|mri|ct|ultrasound|mammogram|pap|biopsy|a1c|cholesterol|ldl|hdl|triglycerides|glucose|blood sugar|sugars?|blood pressure|bp|psa|tsh|thyroid|potassium|iron|vitamin d|ekg|ecg|readings?|levels?|numbers)\b/;

const INTERPRETATION =
  /\b(?:mean|means|meaning|interpret|explain|normal|abnormal|high|higher|low|lower|elevated|positive|negative|bad|concerning|worried|worry|flagged|out of range|borderline|came back)\b/;

/**
 * Rules as data: each refuses a kind of message the FAQ must never answer. They lean towards refusing, since a
 * wrongly refused question costs a phone call and a wrongly answered one can cost a life.
 */
export const FAQ_SCREENING_RULES: readonly FaqScreeningRule[] = [
  {
    id: 'chest-pain',
    reason: 'emergency',
    patterns: [
      /\bchest\b[^.?!]{0,40}\b(?:pains?|hurts?|hurting|pressure|tight|tightness|aches?|aching|crushing|squeez\w*|heavy|heaviness)\b|\b(?:pains?|pressure|tightness|aches?|aching|hurting|heaviness)\b[^.?!]{0,20}\bchest\b|\bheart attack\b/,
    ],
    why: 'Chest pain can be a heart attack; treatment is time-critical.',
    example: 'my chest hurts, are you open',
  },
  {
    id: 'breathing',
    reason: 'emergency',
    patterns: [
      /\b(?:can'?t|cannot|can not|couldn'?t|unable to|trouble|difficulty|hard time|struggling|struggling to|hard to|not|stopped|isn'?t|is not|wasn'?t)(?: with)? (?:catch (?:my|his|her|their) )?breath(?:e|es|ing)?\b|\bshort(?:ness)? of breath\b|\bgasping\b|\bchoking\b|\bturning blue\b|\blips are blue\b|\bblue lips\b/,
    ],
    why: 'Trouble breathing needs emergency care, not an FAQ answer.',
    example: 'My son is having trouble breathing',
  },
  {
    id: 'self-harm',
    reason: 'emergency',
    patterns: [
      /\bsuicid\w*|\bkill(?:ing)? (?:my|him|her|them)sel(?:f|ves)\b|\b(?:end|take) (?:my|his|her|their) (?:own )?life\b|\bwants? to die\b|\b(?:hurt|harm|hurting|harming|cut|cutting) (?:my|him|her|them)sel(?:f|ves)\b|\bself[- ]?harm\w*|\bno reason to live\b|\bbetter off dead\b/,
    ],
    why: 'A suicide risk goes to 911 or the 988 crisis line straight away.',
    example: "I've been thinking about killing myself",
  },
  {
    id: 'overdose-or-poisoning',
    reason: 'emergency',
    patterns: [
      /\boverdos\w*|\btook (?:too many|too much|a bunch of|all (?:of )?(?:my|his|her|the))\b|\btook (?:the|a) whole (?:bottle|pack|box)\b|\bswallowed (?:a |some |the )?(?:pills?|bleach|poison|batter(?:y|ies)|detergent|chemicals?|cleaner|pods?)\b|\bpoison(?:ed|ing|ous)?\b/,
    ],
    why: 'Poisoning and overdose need 911 or the Poison Help line.',
    example: 'my toddler swallowed some pills from my purse',
  },
  {
    id: 'severe-bleeding',
    reason: 'emergency',
    patterns: [
      /\b(?:bleeding|bleed|blood)\b(?! (?:tests?|work|draws?|pressure|sugar|type))[^.?!]{0,30}\b(?:won'?t|will not|doesn'?t|does not|can'?t|cannot|isn'?t|not) stop(?:ping)?\b|\b(?:won'?t|can'?t|cannot|couldn'?t) stop (?:the )?bleeding\b|\b(?:heavy|heavily|severe|severely|lots of|a lot of|uncontrolled|profuse|profusely|gushing|spurting)\b[^.?!]{0,15}\b(?:bleed|bleeding|blood)\b(?! (?:tests?|work|draws?|pressure|sugar|type))|\b(?:bleeding|bleed) (?:heavily|a lot|badly|profusely)\b|\b(?:coughing|vomiting|throwing) up blood\b/,
    ],
    why: 'Bleeding that does not stop with pressure is an emergency.',
    example: 'I cut my hand and the bleeding will not stop',
  },
  {
    id: 'stroke-signs',
    reason: 'emergency',
    patterns: [
      /\bstrokes?\b|\b(?:face|mouth|smile)\b[^.?!]{0,20}\b(?:droop\w*|lopsided|uneven)|\bslurr(?:ed|ing)\b|\b(?:can'?t|cannot|unable to) (?:speak|talk|move (?:my|his|her|their) (?:arm|leg|face))\b|\b(?:numb|numbness|weak|weakness)\b[^.?!]{0,25}\bone side\b|\bone side of (?:my|his|her|their|the) (?:body|face)\b/,
    ],
    why: 'Stroke treatment works only in the first hours.',
    example: "My husband's face is drooping and his speech is slurred",
  },
  {
    id: 'collapse-seizure-anaphylaxis',
    reason: 'emergency',
    patterns: [
      /\b(?:unconscious|unresponsive|passed out|passing out|fainted|collapsed|won'?t wake up|can'?t wake (?:him|her|them|up))\b|\bseizur\w*|\bconvuls\w*|\banaphyla\w*|\b(?:throat|tongue|lips?|face)\b[^.?!]{0,20}\b(?:swell\w*|swollen|closing)\b|\bsevere allergic\b|\bepi-?pen\b|\bworst headache\b|\bhead injury\b/,
    ],
    why: 'Collapse, seizures, severe allergic reactions and sudden severe headaches need emergency care.',
    example: 'she passed out and will not wake up',
  },
  {
    id: 'declared-emergency',
    reason: 'emergency',
    patterns: [
      /\b(?:this is|it'?s|it is|having|i have|we have|there'?s|there is) an? (?:medical )?emergency\b|\bemergency!|\b(?:call|need|send) an ambulance\b/,
    ],
    why: 'A writer who says it is an emergency is treated as having one.',
    example: 'I have an emergency, who do I call?',
  },
  {
    id: 'named-medication',
    reason: 'clinical-question',
    patterns: [MEDICATION_NAME],
    why: 'Any question about a named medicine is medical advice.',
    example: 'can I take ibuprofen with my flu shot',
  },
  {
    id: 'medication-use',
    reason: 'clinical-question',
    patterns: [MEDICATION_WORD, MEDICATION_ACTION],
    why: 'Taking, stopping, mixing or changing a medicine is for a clinician.',
    example: 'Should I keep taking my blood pressure pills?',
  },
  {
    id: 'dosing',
    reason: 'clinical-question',
    patterns: [
      /\b(?:doses?|dosage|dosing|\d+(?:\.\d+)? ?(?:mg|mcg|ml|milligrams?|units?)|milligrams?|how (?:much|many) (?:should|can|do|pills?|tablets?|mg))\b/,
    ],
    why: 'Doses are set by a clinician for the person.',
    example: 'Can I double my dose if I missed one?',
  },
  {
    id: 'side-effects-or-reactions',
    reason: 'clinical-question',
    patterns: [
      /\bside[- ]?effects?\b|\b(?:allergic|allergy) (?:to|reaction)\b|\breactions? to\b|\binteract(?:s|ion|ions)?\b/,
    ],
    why: 'Side effects and reactions need a clinician who knows the patient.',
    example: 'What are the side effects of the flu shot?',
  },
  {
    id: 'personal-symptom',
    reason: 'clinical-question',
    patterns: [PERSONAL, SYMPTOM],
    why: "Someone's own symptoms are triaged by the care team, not the FAQ.",
    example: 'I have a rash on my arm, what is it?',
  },
  {
    id: 'someone-i-care-for-has',
    reason: 'clinical-question',
    patterns: [
      /\bmy (?:child|son|daughter|kid|kids|baby|toddler|infant|newborn|teen|teenager|husband|wife|partner|mom|mother|dad|father)(?:'s)? (?:has|had|have|got|gets|keeps|seems|feels|felt|hasn'?t|won'?t|can'?t|isn'?t|is (?:sick|ill|not|running|coughing|vomiting|throwing|crying|having))\b(?! (?:an? |the |his |her |their )?(?:appointment|visit|portal|insurance|bill|account|referral|form|question about))/,
    ],
    why: '"My child has ..." introduces a clinical question about someone else.',
    example: 'My child has a fever of 102, should I bring her in?',
  },
  {
    id: 'test-result-meaning',
    reason: 'clinical-question',
    patterns: [TEST_WORD, INTERPRETATION, PERSONAL],
    why: 'What a result means for the person is for their clinician to explain.',
    example: 'What do my cholesterol results mean?',
  },
  {
    id: 'personal-reading',
    reason: 'clinical-question',
    patterns: [
      PERSONAL,
      /\b(?:blood pressure|bp|blood sugars?|sugars?|glucose|a1c|cholesterol|temperature|temp|heart rate|pulse|oxygen|o2|sats?|weight)\b[^.?!]{0,20}\b\d/,
    ],
    why: 'A reading someone took of themselves is a clinical question even without a question word.',
    example: 'my blood pressure was 160 over 100 at the pharmacy',
  },
  {
    id: 'diagnosis',
    reason: 'clinical-question',
    patterns: [
      /\bdiagnos\w*|\bdo i have (?:a |an |the )?(?:cancer|diabetes|covid|flu|strep|infection|uti|pneumonia|bronchitis|asthma|allerg(?:y|ies)|adhd|depression|anxiety|high blood pressure|hypertension|sleep apnea|arthritis|shingles|lyme|std|sti|hiv|something)\b|\bcould (?:it|this|that) be\b|\bwhat'?s wrong with (?:me|my|him|her)\b|\bis (?:it|this|that) (?:cancer|serious|contagious|infected|broken|an infection|a tumou?r)\b|\bam i (?:sick|contagious|dying|allergic|diabetic|depressed)\b/,
    ],
    why: 'A diagnosis needs an examination.',
    example: 'Do I have strep throat?',
  },
  {
    id: 'personal-condition',
    reason: 'clinical-question',
    patterns: [PERSONAL, DISEASE],
    why: "A message about the writer's own condition is a clinical conversation.",
    example: 'I have diabetes and my feet feel strange',
  },
  {
    id: 'is-it-normal-or-safe',
    reason: 'clinical-question',
    patterns: [
      /\bis (?:it|this|that|there something) (?:normal|common|usual|serious|dangerous|contagious|worrying|concerning)\b|\bis (?:it|this|that) (?:safe|ok|okay|alright|fine) (?:for (?:me|my \w+|him|her|them|a \w+) )?to (?:take|exercise|get|have|use|give|mix|combine|travel|fly|work out|go back to|return to|breastfeed|drive|be around)\b/,
    ],
    why: '"Is it normal", "is it safe" asks for a clinical judgement.',
    example: 'Is it normal to feel dizzy after a blood draw?',
  },
  {
    id: 'should-i',
    reason: 'clinical-question',
    patterns: [
      /\bshould (?:i|we|he|she|they|my \w+) (?:take|stop|start|keep taking|skip|double|increase|decrease|lower|change|switch|worry|be worried|be concerned|be seen|see (?:a|the|my) (?:doctor|clinician|specialist|nurse)|go (?:to )?(?:the )?(?:er|emergency|hospital|urgent care)|get (?:tested|checked|checked out|screened|vaccinated)|get (?:a |an |the |my )?(?:[\w-]+ )?(?:shot|vaccine|booster|test|scan|screening|x-?ray|mri)|avoid|ice|apply|give (?:him|her|them|my))\b/,
    ],
    why: '"Should I take / stop / worry / go in" asks for advice; "what should I bring" does not.',
    example: 'Should I worry about a lump in my neck?',
  },
  {
    id: 'screening-advice',
    reason: 'clinical-question',
    patterns: [
      /\b(?:how often|how soon|when|at what age) (?:should|must|do) (?:i|we|he|she|they|my \w+) (?:start |stop )?(?:get|have|take|be) (?:a |an |my |the |his |her )?(?:mammograms?|colonoscop(?:y|ies)|pap(?: smears?)?|screenings?|boosters?|shots?|vaccines?|vaccinations?|physicals?|check-?ups?|bone density|psa|prostate|tested|screened)\b/,
    ],
    why: 'How often to screen depends on personal risk.',
    example: 'How often should I get a mammogram?',
  },
  {
    id: 'do-i-need-treatment',
    reason: 'clinical-question',
    patterns: [
      /\bdo (?:i|we|you think i|he|she|they|my \w+) need (?:antibiotics|stitches|an? (?:x-?ray|scan|mri|ct|antibiotic|prescription for|test for|specialist for)|to (?:see a doctor|be seen|go to the (?:er|hospital|emergency)|worry|take))\b/,
    ],
    why: 'Whether someone needs treatment is a clinical decision.',
    example: 'Do I need stitches for this cut?',
  },
  {
    id: 'after-treatment-activity',
    reason: 'clinical-question',
    patterns: [
      /\b(?:can|should|may|is it (?:ok|okay|safe|fine))\b/,
      /\b(?:after|since|following) (?:my|his|her|the|getting (?:my|his|her|the|a)) (?:[\w-]+ )?(?:shot|vaccine|vaccination|booster|injection|surgery|procedure|biopsy|stitches)\b/,
    ],
    why: 'What someone may do after a shot or procedure is aftercare advice.',
    example: 'Can I go running after my tetanus shot?',
  },
  {
    id: 'pregnancy',
    reason: 'clinical-question',
    patterns: [
      /\bpregnan\w*|\btrimester\b|\bbreast-?feed\w*|\bnursing (?:mother|mom|my baby)\b|\bmiscarr\w*|\btrying to (?:conceive|get pregnant)\b|\bconceiv\w*|\bfertility\b|\bmissed (?:my |a )?period\b|\blate period\b|\bmorning sickness\b|\bexpecting (?:a baby|twins)\b|\bpostpartum\b|\bivf\b/,
    ],
    why: 'Pregnancy questions are always for the care team.',
    example: "I'm pregnant, can I get the flu shot?",
  },
];

const EMERGENCY_RULES = FAQ_SCREENING_RULES.filter((rule) => rule.reason === 'emergency');
const CLINICAL_RULES = FAQ_SCREENING_RULES.filter((rule) => rule.reason === 'clinical-question');

/** Lower case, straight apostrophes, single spaces: the one form every rule is written against. */
function normalise(message: string): string {
  return message
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function firstMatch(rules: readonly FaqScreeningRule[], text: string): FaqScreeningRule | undefined {
  return rules.find((rule) => rule.patterns.every((pattern) => pattern.test(text)));
}

/**
 * Screens one message for the public FAQ. `phiSpans` are the PHI detector's findings for the same message. Emergencies
 * are checked first (even before PHI), then any PHI span refuses the message, then clinical questions, so that
 * "my chest hurts, are you open" gets the 911 reply. Pure: no I/O, no state (the patterns carry no `g` flag, so `test` keeps no position).
 */
export function screenFaqMessage(message: string, phiSpans: readonly { type: string }[]): FaqScreening {
  const text = typeof message === 'string' ? normalise(message) : '';
  if (!/[\p{L}\p{N}]/u.test(text)) return { allowed: false, reason: 'empty' };
  // An emergency wins over everything else: someone in danger who also typed their name must still read "call 911".
  if (firstMatch(EMERGENCY_RULES, text) !== undefined) return { allowed: false, reason: 'emergency' };
  if (phiSpans.length > 0) return { allowed: false, reason: 'contains-phi' };
  if (firstMatch(CLINICAL_RULES, text) !== undefined) return { allowed: false, reason: 'clinical-question' };
  return { allowed: true };
}

const EMERGENCY_LINE = 'If this is an emergency, call 911 or go to the nearest emergency department.';

/** Fixed replies for each refusal, in plain language; none of them repeats what the person wrote. */
export const FAQ_SAFE_REPLIES: Readonly<Record<FaqRefusalReason, string>> = Object.freeze({
  emergency:
    'Call 911 or go to the nearest emergency department now. If you are thinking about suicide or harming yourself, call or text 988. For a possible poisoning or overdose, call 911 or the Poison Help line. This chat cannot help in an emergency.',
  'clinical-question': `Please use the secure patient portal or call the office; we can't answer medical questions here. ${EMERGENCY_LINE}`,
  'contains-phi': `Please don't share personal or medical details here; use the secure patient portal instead. ${EMERGENCY_LINE}`,
  empty:
    'Please type a question about the practice, such as our hours, parking, insurance, the patient portal or how to prepare for a visit.',
});

/** Shown with every FAQ answer. */
export const FAQ_DISCLAIMER =
  "This assistant gives general information about the practice, such as hours, directions, insurance and the patient portal. It is not medical advice and can't answer questions about your health. Please don't enter personal or medical details such as names, dates of birth or symptoms. For medical questions, use the secure patient portal or call the office. In an emergency, call 911.";
