// The labels that announce an identifier in clinical text, as data: which type the value after each label is,
// how sure we are, and how many digits the value needs. Earlier entries win where labels overlap.
import type { PhiType } from '../../../phi/phi-types.ts';

export interface IdentifierCue {
  readonly type: PhiType;
  /** Regex source, matched case-insensitively at a word start. */
  readonly label: string;
  readonly score: number;
  /** Digits the value must hold; 0 lets letters-only values through (user names, plates are checked by type). */
  readonly minDigits: number;
  /** Characters the value must have. */
  readonly minLength: number;
  /** A shape the whole value must have, when the label alone is ambiguous (PCN is also a nephrostomy tube). */
  readonly value?: RegExp;
}

const NO = '(?:\\s?(?:#|no\\.?|nbr|num(?:ber)?\\.?|id\\b|identifier|number))';

const cue = (
  type: PhiType,
  label: string,
  score: number,
  minDigits = 2,
  minLength = 4,
  value?: RegExp,
): IdentifierCue => ({ type, label, score, minDigits, minLength, ...(value === undefined ? {} : { value }) });

/** Insurers whose name is written before the member number ("Aetna ID W123", "UHC member 8841"). */
const CARRIERS =
  'aetna|cigna|humana|anthem|uhc|unitedhealthcare|united\\s?health(?:care)?|kaiser|bcbs|blue\\s?cross(?:\\s?blue\\s?shield)?|blue\\s?shield|molina|centene|wellcare|ambetter|amerigroup|caresource|highmark|oscar|tufts|emblem|healthfirst|fidelis|triwest|champva|medi-?cal';

/** Order matters: "Medicare ID" must be read as a health-plan cue before "ID" is read as a generic one. */
export const IDENTIFIER_CUES: readonly IdentifierCue[] = [
  // Social security numbers with a cue also catch the undashed nine digits and "last four".
  cue('SSN', 'ssn|ss#|ss\\s?no\\.?|soc(?:ial)?\\.?\\s?sec(?:urity)?\\.?(?:\\s?(?:#|no\\.?|number|num))?', 0.95, 4, 4),
  // Vehicles before licences: "license plate" is a plate, not a licence.
  cue(
    'VEHICLE',
    `(?:licen[cs]e|lic\\.?)\\s?plates?${NO}?|(?:car\\s?|vehicle\\s?|license\\s?)?tags?${NO}?|plates?${NO}?|lp\\s?#|vin${NO}?|vehicle${NO}`,
    0.9,
    1,
    4,
  ),
  cue(
    'HEALTH_PLAN',
    `(?:member|subscriber|policy|group|grp|plan|insurance|ins\\.?|beneficiary|cardholder|carrier|rx\\s?group|rxgrp|rx\\s?bin|rxbin|rx\\s?pcn|pcn|medicaid|medicare|medi-cal|tricare|bcbs|hmo|ppo|coverage|${CARRIERS})(?:\\s?member)?${NO}|(?:plan|group|grp|benefit|coverage)\\s?code|medicaid|medicare|mbi|hicn?|policy|member|subscriber|group|grp|rx\\s?grp|rxgrp|rx\\s?bin|rxbin|bin(?=\\s{0,2}[:#]?\\s{0,2}\\d{6}\\b)|${CARRIERS}`,
    0.9,
    3,
    4,
  ),
  // Processor control numbers are often letters only ("PCN: MEDDPRIME"); bare "PCN" is also a nephrostomy tube.
  cue('HEALTH_PLAN', 'rx\\s?pcn|pcn(?=\\s{0,2}[:#])', 0.85, 0, 3, /^[A-Z0-9]{3,15}$/),
  cue(
    'MRN',
    `mrn|mr\\s?#|mr${NO}|med(?:ical)?\\.?\\s?rec(?:ord)?s?\\.?${NO}?|medical\\s?record|chart${NO}|patient${NO}|pt\\.?${NO}|pid|unit${NO}|hosp(?:ital)?\\.?${NO}|record${NO}|(?:health|emr|ehr)\\s?record${NO}?|empi|epic${NO}`,
    0.95,
    2,
    4,
  ),
  cue(
    'ACCOUNT',
    `acc(?:oun)?t\\.?${NO}?|billing${NO}?|billing\\s?account|invoice${NO}|statement${NO}|guarantor${NO}|har|fin\\s?#|fin${NO}|bank\\s?account|routing${NO}|card${NO}|credit\\s?card|cc\\s?#`,
    0.9,
    3,
    4,
  ),
  cue(
    'LICENSE',
    `dea${NO}?|dea\\s?reg(?:istration)?|npi${NO}?|(?:driver'?s?|drivers|d\\.?l\\.?)\\s?lic(?:en[cs]e|\\.)?${NO}?|d\\.?l\\.?\\s?#|lic(?:en[cs]e|\\.)?${NO}|(?:medical|state|nursing|professional)\\s?licen[cs]e${NO}?|certificate${NO}|cert\\.?${NO}|certification${NO}|registration${NO}|passport${NO}?|clia${NO}?|upin|permit${NO}|tax\\s?id|ein|tin\\s?#`,
    0.9,
    3,
    4,
  ),
  cue(
    'DEVICE',
    `serial${NO}?|s\\/n|sn(?=\\s{0,2}[#:]|\\s{1,2}[A-Z0-9]{0,6}\\d)|udi|device${NO}|device\\s?(?:serial|identifier)|implant${NO}|pacemaker${NO}|(?:pacemaker|icd|defibrillator|pump|stimulator|generator|lead|transmitter|receiver|sensor|implant|valve|cpap|bipap|processor)\\s?(?:serial|sn|s\\/n)|transmitter${NO}?|receiver${NO}|sensor${NO}|generator${NO}|lot${NO}?|imei|model\\/serial|model${NO}?`,
    0.9,
    2,
    4,
  ),
  cue(
    'ID',
    `accession${NO}?|acc\\s?#|specimen${NO}?|sample${NO}|claim${NO}?|order${NO}|encounter${NO}?|visit${NO}|case${NO}|requisition${NO}?|req\\s?#|reference${NO}|ref\\.?${NO}|confirmation${NO}|tracking${NO}|authori[sz]ation${NO}?|auth${NO}|prior\\s?auth(?:orization)?${NO}?|referral${NO}|ticket${NO}|barcode|employee${NO}|badge${NO}|student${NO}|study${NO}|subject${NO}|participant${NO}|kit${NO}|transaction${NO}|csn|room${NO}?|rm\\.?\\s?#`,
    0.85,
    3,
    4,
  ),
  cue(
    'ID',
    '(?:confirmation|activation|access|verification|reference|ref|auth(?:orization)?|voucher|promo|enrollment|invitation)\\s?code',
    0.8,
    1,
    4,
  ),
  cue(
    'ID',
    'user\\s?(?:name|id)|username|log[\\s-]?in(?:\\s?(?:id|name))?|screen\\s?name|handle|(?:patient\\s?)?portal\\s?(?:account|id|user\\s?(?:name)?|login)|mychart\\s?(?:account|id|user\\s?(?:name)?|login)|signed\\s?in\\s?as|logged\\s?in\\s?as',
    0.8,
    0,
    3,
  ),
  // A bare "user" is a cue only before a handle: "User: a.lee", "user jedwards72"; not "user reports", "heroin user".
  cue('ID', 'user(?=[ \\t]{0,2}:)', 0.8, 0, 3, /^[a-z][a-z0-9._-]{1,31}$/),
  cue('ID', 'user', 0.7, 0, 3, /^[a-z](?=[a-z]{0,30}[\d._-])[a-z0-9._-]{1,31}[a-z0-9]$/),
  // Generic labels last: a bare "ID", "No." or "#" before a long number.
  cue('ID', 'id|identifier|no\\.|number', 0.7, 5, 6),
];
