import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FAQ_DISCLAIMER,
  FAQ_REFUSAL_REASONS,
  FAQ_SAFE_REPLIES,
  FAQ_SCREENING_RULES,
  type FaqRefusalReason,
  screenFaqMessage,
} from '../../../shared/knowledge/faq-guard.ts';

const noPhi: readonly { type: string }[] = [];

/** Administrative questions the FAQ exists to answer, including near misses of the refusal rules. */
const ALLOWED: readonly string[] = [
  'what are your hours for flu shots',
  'What time do you open on weekdays?',
  'Are you open on weekends?',
  'Are you closed on holidays?',
  'Where do I park?',
  'Is there wheelchair accessible parking near the door?',
  'Do you accept Medicare?',
  'Which insurance plans do you take?',
  'How do I pay my bill online?',
  'Can I set up a payment plan for my balance?',
  'How do I reset my patient portal password?',
  'How do I sign up for the patient portal?',
  'How do I see my test results in the portal?',
  'How long does it usually take for lab results to show up in the portal?',
  'What should I bring to my first appointment?',
  'How early should I arrive for my appointment?',
  'How do I prepare for a fasting blood test?',
  'Can I drink water before a fasting lab draw?',
  'How long should I fast before a cholesterol test?',
  'What should I eat the day before a colonoscopy?',
  'Do I need someone to drive me home after a colonoscopy?',
  'How do I request a copy of my medical records?',
  'How do I request a prescription refill through the portal?',
  'How long does it take to get a prescription refilled?',
  'Do I need a referral to see a specialist?',
  'Do I need an appointment for a flu shot?',
  'Can I bring someone with me to my visit?',
  'Do you offer telehealth video visits?',
  'How do I cancel or reschedule an appointment?',
  'How do I book a sick visit for my son?',
  'What should I do in an emergency?',
  'Where is the nearest emergency department?',
  'Do you have interpreters for sign language?',
  'Who do I contact about a billing question?',
  'Can my daughter get access to my portal account?',
  'Is the office next to the pharmacy?',
  'WHERE DO I DROP OFF A SCHOOL FORM?',
  'How do I update my address in the portal?',
  'Can I get a covid test here?',
  'Can I get my shingles vaccine here?',
  'Do I need to fast for my cholesterol test?',
  'When will my results be ready?',
  'My wife has an appointment at 3, where do we park?',
  'How much does a visit cost without insurance?',
];

const REFUSED: readonly (readonly [string, FaqRefusalReason])[] = [
  ['my chest hurts, are you open', 'emergency'],
  ["I'm having chest pain and my left arm is numb", 'emergency'],
  ['I can’t breathe very well', 'emergency'],
  ['My son is having trouble breathing', 'emergency'],
  ["I've been thinking about killing myself", 'emergency'],
  ['I want to end my life', 'emergency'],
  ['I think I took too many of my sleeping pills', 'emergency'],
  ['my toddler swallowed some pills from my purse', 'emergency'],
  ["My husband's face is drooping and his speech is slurred", 'emergency'],
  ['I cut my hand and the bleeding will not stop', 'emergency'],
  ['she passed out and will not wake up', 'emergency'],
  ['my throat is swelling after a bee sting', 'emergency'],
  ['I have an emergency, who do I call?', 'emergency'],
  ['MY CHEST HURTS', 'emergency'],
  ['What are your hours? I think I am having a stroke', 'emergency'],
  ['can I take ibuprofen with my flu shot', 'clinical-question'],
  ['What are the side effects of the flu shot?', 'clinical-question'],
  ['My child has a fever of 102, should I bring her in?', 'clinical-question'],
  ['I have a rash on my arm, what is it?', 'clinical-question'],
  ['Is it normal to feel dizzy after a blood draw?', 'clinical-question'],
  ['What do my cholesterol results mean?', 'clinical-question'],
  ['My A1c came back high, is that bad?', 'clinical-question'],
  ['How much Tylenol can I give my toddler?', 'clinical-question'],
  ['Should I stop taking my blood pressure medication?', 'clinical-question'],
  ['Can I double my dose if I missed one?', 'clinical-question'],
  ["I'm pregnant, can I get the flu shot?", 'clinical-question'],
  ['Is it safe to take melatonin while breastfeeding?', 'clinical-question'],
  ['Do I have strep throat?', 'clinical-question'],
  ['Should I worry about a lump in my neck?', 'clinical-question'],
  ['Can I take 800 mg of ibuprofen?', 'clinical-question'],
  ["I've been coughing for two weeks, are you open today?", 'clinical-question'],
  ['How often should I get a mammogram?', 'clinical-question'],
  ['Should I take my medicines before a fasting blood test?', 'clinical-question'],
  ['My arm is sore after the flu shot', 'clinical-question'],
  ['Do I need antibiotics for a sinus infection?', 'clinical-question'],
  ['Can I go running after my tetanus shot?', 'clinical-question'],
  ['my blood pressure was 160 over 100 at the pharmacy', 'clinical-question'],
  ['Is my cholesterol normal?', 'clinical-question'],
  ['I fell and hit my head', 'clinical-question'],
  ['My daughter got bit by a dog', 'clinical-question'],
  ['', 'empty'],
  ['   \n\t ', 'empty'],
  ['?!', 'empty'],
];

describe('screenFaqMessage', () => {
  it.each(ALLOWED)('allows the administrative question %j', (message) => {
    expect(screenFaqMessage(message, noPhi)).toEqual({ allowed: true });
  });

  it.each(REFUSED)('refuses %j as %s', (message, reason) => {
    expect(screenFaqMessage(message, noPhi)).toEqual({ allowed: false, reason });
  });

  it('refuses every message that carries a PHI span, whatever its type or content', () => {
    // Prepare
    const spans = [{ type: 'NAME' }];

    // Act
    const outcomes = ['What are your hours?', 'Do you take Medicare?'].map((m) => screenFaqMessage(m, spans));

    // Assess
    expect(outcomes).toEqual([
      { allowed: false, reason: 'contains-phi' },
      { allowed: false, reason: 'contains-phi' },
    ]);
  });

  it('answers an emergency with the 911 reply even when the message also holds PHI, and checks PHI before clinical questions', () => {
    expect(screenFaqMessage('my chest hurts', [{ type: 'DATE' }])).toEqual({ allowed: false, reason: 'emergency' });
    expect(screenFaqMessage('what dose of ibuprofen', [{ type: 'AGE' }])).toEqual({
      allowed: false,
      reason: 'contains-phi',
    });
  });

  it('reports an empty message as empty even when spans are passed', () => {
    expect(screenFaqMessage('  ', [{ type: 'NAME' }])).toEqual({ allowed: false, reason: 'empty' });
  });

  it('prefers the emergency reply when a message is both clinical and an emergency', () => {
    expect(screenFaqMessage('I took my insulin and now I have chest pressure', noPhi)).toEqual({
      allowed: false,
      reason: 'emergency',
    });
  });

  it('reads curly apostrophes, capitals and extra spaces the same as plain text', () => {
    expect(screenFaqMessage('I CAN’T   BREATHE', noPhi)).toEqual({ allowed: false, reason: 'emergency' });
    expect(screenFaqMessage('Should   I STOP my MEDS?', noPhi)).toEqual({
      allowed: false,
      reason: 'clinical-question',
    });
  });

  it('treats a non-string message from untyped callers as empty instead of throwing', () => {
    expect(screenFaqMessage(undefined as unknown as string, noPhi)).toEqual({ allowed: false, reason: 'empty' });
  });

  it('never throws and always returns allowed or a known reason (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.array(fc.record({ type: fc.string() }), { maxLength: 3 }),
        (m, s) => {
          const result = screenFaqMessage(m, s);
          if (!result.allowed) expect(FAQ_REFUSAL_REASONS).toContain(result.reason);
        },
      ),
    );
  });

  it('returns contains-phi for any non-blank message with at least one span (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200 }).filter((m) => /[\p{L}\p{N}]/u.test(m)),
        fc.string(),
        (m, type) => {
          expect(screenFaqMessage(m, [{ type }])).toEqual({ allowed: false, reason: 'contains-phi' });
        },
      ),
    );
  });

  it('gives the same answer when asked twice, so no pattern keeps state between calls', () => {
    for (const [message] of REFUSED) {
      expect(screenFaqMessage(message, noPhi)).toEqual(screenFaqMessage(message, noPhi));
    }
    for (const message of ALLOWED) expect(screenFaqMessage(message, noPhi)).toEqual({ allowed: true });
  });
});

describe('FAQ_SCREENING_RULES', () => {
  it('has unique ids, a reason for each rule and no stateful regex flags', () => {
    const ids = FAQ_SCREENING_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of FAQ_SCREENING_RULES) {
      expect(rule.why.length).toBeGreaterThan(10);
      expect(rule.patterns.length).toBeGreaterThan(0);
      for (const pattern of rule.patterns) expect(pattern.flags).not.toMatch(/[gy]/);
    }
  });

  it.each(FAQ_SCREENING_RULES.map((rule) => [rule.id, rule] as const))(
    'refuses the example of rule %s with its reason',
    (_id, rule) => {
      expect(screenFaqMessage(rule.example, noPhi)).toEqual({ allowed: false, reason: rule.reason });
    },
  );
});

describe('FAQ_SAFE_REPLIES', () => {
  it('has a reply for every refusal reason', () => {
    expect(Object.keys(FAQ_SAFE_REPLIES).sort()).toEqual([...FAQ_REFUSAL_REASONS].sort());
  });

  it('tells an emergency to call 911 or go to the emergency department before anything else', () => {
    expect(FAQ_SAFE_REPLIES.emergency).toMatch(/^Call 911 or go to the nearest emergency department/);
    expect(FAQ_SAFE_REPLIES.emergency).toContain('988');
  });

  it('sends clinical questions to the portal or the office and says why', () => {
    expect(FAQ_SAFE_REPLIES['clinical-question']).toMatch(
      /^Please use the secure patient portal or call the office; we can't answer medical questions here\./,
    );
    expect(FAQ_SAFE_REPLIES['clinical-question']).toContain('call 911');
  });

  it('asks for no personal details and points to the secure portal', () => {
    expect(FAQ_SAFE_REPLIES['contains-phi']).toMatch(
      /^Please don't share personal or medical details here; use the secure/,
    );
    expect(FAQ_SAFE_REPLIES['contains-phi']).toContain('call 911');
  });

  it('contains no phone number other than 911 and 988', () => {
    for (const reply of [...Object.values(FAQ_SAFE_REPLIES), FAQ_DISCLAIMER]) {
      const numbers = reply.match(/\d[\d\s().-]*\d/g) ?? [];
      expect(numbers.every((n) => n === '911' || n === '988')).toBe(true);
    }
  });
});

describe('FAQ_DISCLAIMER', () => {
  it('says the answers are general information, not medical advice, and asks for no personal details', () => {
    expect(FAQ_DISCLAIMER).toContain('general information');
    expect(FAQ_DISCLAIMER).toContain('not medical advice');
    expect(FAQ_DISCLAIMER).toMatch(/don't enter personal or medical details/);
    expect(FAQ_DISCLAIMER).toContain('911');
  });
});
