/** Clinical content that is not PHI (diagnoses, eponyms, drugs, labs, codes): the distractors in the dev set. */

export interface Diagnosis {
  readonly name: string;
  readonly icd10: string;
}

// Eponymous diseases and signs are capitalised person names that are NOT PHI.
export const DIAGNOSES: readonly Diagnosis[] = [
  { name: 'type 2 diabetes mellitus without complications', icd10: 'E11.9' },
  { name: 'type 2 diabetes mellitus with hyperglycemia', icd10: 'E11.65' },
  { name: 'essential hypertension', icd10: 'I10' },
  { name: 'hyperlipidemia, unspecified', icd10: 'E78.5' },
  { name: 'COPD', icd10: 'J44.9' },
  { name: 'chronic systolic heart failure', icd10: 'I50.22' },
  { name: 'paroxysmal atrial fibrillation', icd10: 'I48.0' },
  { name: 'CKD stage 3a', icd10: 'N18.31' },
  { name: 'hypothyroidism', icd10: 'E03.9' },
  { name: "Hashimoto's thyroiditis", icd10: 'E06.3' },
  { name: 'GERD', icd10: 'K21.9' },
  { name: 'major depressive disorder, recurrent, moderate', icd10: 'F33.1' },
  { name: 'generalized anxiety disorder', icd10: 'F41.1' },
  { name: 'primary osteoarthritis, right knee', icd10: 'M17.11' },
  { name: 'low back pain', icd10: 'M54.50' },
  { name: "Parkinson's disease", icd10: 'G20' },
  { name: "Crohn's disease of small intestine", icd10: 'K50.00' },
  { name: "Alzheimer's disease, late onset", icd10: 'G30.1' },
  { name: "Bell's palsy", icd10: 'G51.0' },
  { name: "Graves' disease", icd10: 'E05.00' },
  { name: 'Hodgkin lymphoma', icd10: 'C81.90' },
  { name: "Sjögren's syndrome", icd10: 'M35.00' },
  { name: "Raynaud's phenomenon", icd10: 'I73.00' },
  { name: "Cushing's syndrome", icd10: 'E24.9' },
  { name: "Addison's disease", icd10: 'E27.1' },
  { name: 'Guillain-Barré syndrome', icd10: 'G61.0' },
  { name: "Ménière's disease", icd10: 'H81.09' },
  { name: "Barrett's esophagus", icd10: 'K22.70' },
  { name: 'Lyme disease', icd10: 'A69.20' },
  { name: "Paget's disease of bone", icd10: 'M88.9' },
  { name: 'obesity, BMI 32', icd10: 'E66.9' },
  { name: 'moderate persistent asthma', icd10: 'J45.40' },
  { name: 'migraine without aura', icd10: 'G43.009' },
  { name: 'gout', icd10: 'M10.9' },
  { name: 'urinary tract infection', icd10: 'N39.0' },
  { name: 'community-acquired pneumonia', icd10: 'J18.9' },
  { name: 'cellulitis of right lower limb', icd10: 'L03.115' },
  { name: 'sepsis, unspecified organism', icd10: 'A41.9' },
  { name: 'NSTEMI', icd10: 'I21.4' },
  { name: 'acute DVT of left femoral vein', icd10: 'I82.412' },
  { name: 'obstructive sleep apnea', icd10: 'G47.33' },
  { name: 'benign prostatic hyperplasia', icd10: 'N40.0' },
  { name: 'iron deficiency anemia', icd10: 'D50.9' },
  { name: 'vitamin D deficiency', icd10: 'E55.9' },
  { name: 'closed fracture of left hip', icd10: 'S72.002A' },
  { name: 'long-term use of insulin', icd10: 'Z79.4' },
];

export const EPONYMOUS_FINDINGS = [
  "Murphy's sign negative",
  "no tenderness at McBurney's point",
  'Babinski downgoing bilaterally',
  'Romberg negative',
  "Homans' sign negative",
  'Glasgow Coma Scale 15',
  'Wells score 1',
  'CHA2DS2-VASc score of 3',
  "Kernig's and Brudzinski's signs negative",
  "Tinel's sign positive at the wrist",
  "Phalen's test positive",
  'Lachman test negative',
  'McMurray test positive medially',
  'Trendelenburg gait',
  'Foley catheter in place',
  'Epley maneuver performed',
  'Snellen 20/40 OU',
  'Gram stain with gram-positive cocci in clusters',
  'Valsalva maneuver without effect',
  'Holter monitor ordered',
  'Allen test normal',
  'Apgar scores 8 and 9',
  'Dix-Hallpike positive on the right',
  'Kussmaul respirations',
  'Cheyne-Stokes breathing overnight',
  'Jones fracture of the fifth metatarsal',
  'Colles fracture, healed',
  'Whipple procedure in the past',
  'Nissen fundoplication',
  'Roux-en-Y gastric bypass',
  'Swan-Ganz catheter removed',
  'Hartmann pouch',
] as const;

export interface Medication {
  readonly name: string;
  readonly sig: string;
  readonly ndc: string;
}

export const MEDICATIONS: readonly Medication[] = [
  { name: 'metformin 1000 mg tablet', sig: '1 tab PO BID with meals', ndc: '0093-1048-01' },
  { name: 'lisinopril 20 mg tablet', sig: '1 tab PO daily', ndc: '68180-0514-01' },
  { name: 'atorvastatin 40 mg tablet', sig: '1 tab PO nightly', ndc: '0378-3952-77' },
  { name: 'amlodipine 5 mg tablet', sig: '1 tab PO daily', ndc: '0069-1530-68' },
  {
    name: 'levothyroxine 88 mcg tablet',
    sig: '1 tab PO every morning, 30-60 min before breakfast',
    ndc: '0378-1809-01',
  },
  { name: 'metoprolol succinate ER 50 mg', sig: '1 tab PO daily; hold for HR < 55', ndc: '0186-1092-05' },
  { name: 'apixaban 5 mg tablet', sig: '1 tab PO BID', ndc: '0003-0894-21' },
  {
    name: 'furosemide 40 mg tablet',
    sig: '1 tab PO daily, extra 20 mg for weight gain > 2 lb/day',
    ndc: '0054-4299-25',
  },
  { name: 'insulin glargine 100 units/mL', sig: '22 units subcut at bedtime', ndc: '0088-2220-33' },
  { name: 'insulin lispro 100 units/mL', sig: 'sliding scale 2-10 units with meals', ndc: '0002-7510-01' },
  { name: 'sertraline 100 mg tablet', sig: '1 tab PO daily', ndc: '0049-4960-30' },
  { name: 'gabapentin 300 mg capsule', sig: '1 cap PO TID', ndc: '0071-0805-24' },
  { name: 'albuterol HFA 90 mcg/actuation', sig: '2 puffs q4-6h PRN wheeze', ndc: '0173-0682-20' },
  { name: 'tiotropium 18 mcg inhalation capsule', sig: 'inhale contents of 1 cap daily', ndc: '0597-0075-41' },
  { name: 'pantoprazole 40 mg DR tablet', sig: '1 tab PO daily before breakfast', ndc: '0008-0841-81' },
  { name: 'carbidopa-levodopa 25-100 mg', sig: '1 tab PO TID', ndc: '0093-0293-01' },
  { name: 'mesalamine DR 1.2 g', sig: '4 tabs PO daily', ndc: '54092-0476-12' },
  { name: 'prednisone 20 mg', sig: '2 tabs PO daily x 5 days', ndc: '0054-4728-25' },
  { name: 'amoxicillin-clavulanate 875-125 mg', sig: '1 tab PO BID x 7 days', ndc: '0781-1852-20' },
  { name: 'hydrocodone-acetaminophen 5-325 mg', sig: '1 tab PO q6h PRN severe pain, max 4/day', ndc: '0406-0123-01' },
  { name: 'empagliflozin 10 mg', sig: '1 tab PO daily', ndc: '0597-0152-30' },
  { name: 'semaglutide 0.5 mg/dose pen', sig: '0.5 mg subcut weekly', ndc: '0169-4132-12' },
  { name: 'warfarin 5 mg', sig: '1 tab PO daily except 2.5 mg Mon/Fri; goal INR 2-3', ndc: '0056-0172-70' },
  { name: 'tamsulosin 0.4 mg capsule', sig: '1 cap PO 30 min after same meal daily', ndc: '0597-0058-01' },
  { name: 'donepezil 10 mg', sig: '1 tab PO at bedtime', ndc: '62856-0246-30' },
  { name: 'methotrexate 2.5 mg', sig: '6 tabs (15 mg) PO once weekly on Sundays', ndc: '0054-4550-25' },
  { name: 'folic acid 1 mg', sig: '1 tab PO daily except methotrexate day', ndc: '0603-3162-21' },
  { name: 'cholecalciferol 2000 IU', sig: '1 cap PO daily', ndc: '0904-5823-60' },
  { name: 'aspirin 81 mg EC', sig: '1 tab PO daily', ndc: '0904-2009-60' },
  { name: 'clopidogrel 75 mg', sig: '1 tab PO daily', ndc: '63653-1171-06' },
  { name: 'ondansetron ODT 4 mg', sig: '1 tab SL q8h PRN nausea', ndc: '0173-0570-00' },
  { name: 'cephalexin 500 mg capsule', sig: '1 cap PO QID x 10 days', ndc: '0093-3147-01' },
  { name: 'nitrofurantoin monohydrate 100 mg', sig: '1 cap PO BID x 5 days', ndc: '0591-3536-01' },
  { name: 'losartan 50 mg', sig: '1 tab PO daily', ndc: '0006-0952-54' },
  { name: 'hydrochlorothiazide 25 mg', sig: '1 tab PO daily', ndc: '0172-2089-60' },
  { name: 'spironolactone 25 mg', sig: '1 tab PO daily; K+ check in 1 week', ndc: '0025-1001-31' },
  { name: 'trazodone 50 mg', sig: '1/2 to 1 tab PO qHS PRN sleep', ndc: '0591-5536-01' },
  { name: 'buprenorphine-naloxone 8-2 mg film', sig: '1 film SL daily', ndc: '12496-1208-03' },
  { name: 'allopurinol 100 mg', sig: '2 tabs PO daily', ndc: '0591-5543-01' },
  { name: 'oxybutynin ER 5 mg', sig: '1 tab PO daily', ndc: '0591-3807-01' },
];

export interface LabTest {
  readonly name: string;
  readonly unit: string;
  readonly low: number;
  readonly high: number;
  readonly decimals: number;
  readonly reference: string;
  readonly loinc: string;
}

export const LAB_TESTS: readonly LabTest[] = [
  { name: 'Hemoglobin A1c', unit: '%', low: 5.2, high: 10.8, decimals: 1, reference: '4.0-5.6', loinc: '4548-4' },
  { name: 'Glucose', unit: 'mg/dL', low: 68, high: 262, decimals: 0, reference: '70-99', loinc: '2345-7' },
  { name: 'Sodium', unit: 'mmol/L', low: 128, high: 146, decimals: 0, reference: '135-145', loinc: '2951-2' },
  { name: 'Potassium', unit: 'mmol/L', low: 3.1, high: 5.6, decimals: 1, reference: '3.5-5.1', loinc: '2823-3' },
  { name: 'Chloride', unit: 'mmol/L', low: 95, high: 110, decimals: 0, reference: '98-107', loinc: '2075-0' },
  { name: 'CO2', unit: 'mmol/L', low: 18, high: 31, decimals: 0, reference: '22-29', loinc: '2028-9' },
  { name: 'BUN', unit: 'mg/dL', low: 7, high: 48, decimals: 0, reference: '7-20', loinc: '3094-0' },
  { name: 'Creatinine', unit: 'mg/dL', low: 0.6, high: 2.8, decimals: 2, reference: '0.60-1.30', loinc: '2160-0' },
  { name: 'eGFR', unit: 'mL/min/1.73m2', low: 24, high: 112, decimals: 0, reference: '>60', loinc: '33914-3' },
  { name: 'WBC', unit: 'x10^3/uL', low: 3.8, high: 16.5, decimals: 1, reference: '4.5-11.0', loinc: '6690-2' },
  { name: 'Hemoglobin', unit: 'g/dL', low: 8.1, high: 16.9, decimals: 1, reference: '12.0-16.0', loinc: '718-7' },
  { name: 'Platelets', unit: 'x10^3/uL', low: 110, high: 420, decimals: 0, reference: '150-400', loinc: '777-3' },
  { name: 'TSH', unit: 'uIU/mL', low: 0.2, high: 9.8, decimals: 2, reference: '0.40-4.00', loinc: '3016-3' },
  { name: 'LDL cholesterol', unit: 'mg/dL', low: 58, high: 192, decimals: 0, reference: '<100', loinc: '13457-7' },
  { name: 'HDL cholesterol', unit: 'mg/dL', low: 28, high: 82, decimals: 0, reference: '>40', loinc: '2085-9' },
  { name: 'Triglycerides', unit: 'mg/dL', low: 70, high: 420, decimals: 0, reference: '<150', loinc: '2571-8' },
  { name: 'ALT', unit: 'U/L', low: 9, high: 88, decimals: 0, reference: '7-56', loinc: '1742-6' },
  { name: 'AST', unit: 'U/L', low: 10, high: 95, decimals: 0, reference: '10-40', loinc: '1920-8' },
  { name: 'INR', unit: '', low: 0.9, high: 3.4, decimals: 1, reference: '0.8-1.2', loinc: '6301-6' },
  { name: 'BNP', unit: 'pg/mL', low: 40, high: 1850, decimals: 0, reference: '<100', loinc: '30934-4' },
  { name: 'Troponin I', unit: 'ng/mL', low: 0, high: 0.45, decimals: 2, reference: '<0.04', loinc: '10839-9' },
  { name: '25-OH Vitamin D', unit: 'ng/mL', low: 12, high: 58, decimals: 0, reference: '30-100', loinc: '1989-3' },
  { name: 'PSA', unit: 'ng/mL', low: 0.4, high: 8.2, decimals: 1, reference: '<4.0', loinc: '2857-1' },
  { name: 'Magnesium', unit: 'mg/dL', low: 1.5, high: 2.6, decimals: 1, reference: '1.7-2.2', loinc: '19123-9' },
];

export interface Procedure {
  readonly name: string;
  readonly cpt: string;
}

export const PROCEDURES: readonly Procedure[] = [
  { name: 'MRI lumbar spine without contrast', cpt: '72148' },
  { name: 'MRI brain with and without contrast', cpt: '70553' },
  { name: 'CT abdomen and pelvis with contrast', cpt: '74177' },
  { name: 'transthoracic echocardiogram', cpt: '93306' },
  { name: 'polysomnography', cpt: '95810' },
  { name: 'right knee arthroscopy with partial medial meniscectomy', cpt: '29881' },
  { name: 'EGD with biopsy', cpt: '43239' },
  { name: 'screening colonoscopy', cpt: '45378' },
  { name: 'physical therapy, therapeutic exercise', cpt: '97110' },
  { name: 'CPAP device', cpt: 'E0601' },
  { name: 'infliximab infusion', cpt: 'J1745' },
  { name: 'continuous glucose monitor', cpt: 'E2103' },
  { name: 'cardiac event monitor (30 days)', cpt: '93268' },
  { name: 'total knee arthroplasty', cpt: '27447' },
  { name: 'DEXA bone density scan', cpt: '77080' },
];

export const VISIT_CODES = ['99203', '99204', '99213', '99214', '99215', '99396', 'G0439', '99283', '99285'] as const;

export const ALLERGIES = [
  'penicillin (hives)',
  'sulfa drugs (rash)',
  'NKDA',
  'codeine (nausea)',
  'latex',
  'shellfish (anaphylaxis)',
  'lisinopril (angioedema)',
  'iodinated contrast (hives)',
  'no known allergies',
  'peanuts',
] as const;

export const CHIEF_COMPLAINTS = [
  'chest pain',
  'shortness of breath',
  'abdominal pain',
  'fall at home',
  'headache',
  'dizziness',
  'fever and cough',
  'left leg swelling',
  'back pain after lifting',
  'palpitations',
  'syncope',
  'laceration to the hand',
  'confusion per family',
  'rash',
  'burning with urination',
  'motor vehicle collision',
] as const;
