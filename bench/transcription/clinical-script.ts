/**
 * The benchmark's spoken script: short clinical sentences of the kind an ambient scribe hears, written for this
 * project. No real patient; names and numbers are invented. Spoken aloud by espeak-ng (a synthetic voice).
 */
export const CLINICAL_SCRIPT: readonly string[] = [
  'The patient reports chest pain radiating to the left arm since this morning.',
  'She denies shortness of breath, nausea or sweating.',
  'Blood pressure is one hundred forty over ninety and the pulse is eighty eight.',
  'He has a history of type two diabetes and high cholesterol.',
  'Current medications include metformin and atorvastatin at night.',
  'She is allergic to penicillin, which gave her a rash.',
  'The lungs are clear on both sides and the heart sounds are regular.',
  'There is mild tenderness in the lower right abdomen.',
  'We will order a complete blood count and a basic metabolic panel.',
  'Start lisinopril ten milligrams once a day and recheck in two weeks.',
  'The cough has lasted three weeks and is worse at night.',
  'No fever, chills or weight loss were reported.',
  'The knee is swollen after a fall on the stairs last Tuesday.',
  'An x-ray of the right knee shows no fracture.',
  'Follow up in the clinic if the symptoms get worse.',
];
