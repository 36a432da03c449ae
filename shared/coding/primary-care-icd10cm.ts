/**
 * A small curated table of common primary-care ICD-10-CM codes (FY2024 code set) with the words a note uses for
 * them. It feeds only the OFFLINE STAND-IN code inference and descriptions of claimed codes: it is not a coding
 * engine, covers about a hundred codes, and a certified coder decides every code.
 */

export interface CuratedIcd10CmCode {
  readonly code: string;
  readonly description: string;
  /** Lower-case phrases matched as whole words; the longest match in a passage wins. */
  readonly synonyms: readonly string[];
}

export const PRIMARY_CARE_ICD10CM: readonly CuratedIcd10CmCode[] = [
  // Cardiovascular
  {
    code: 'I10',
    description: 'Essential (primary) hypertension',
    synonyms: ['hypertension', 'essential hypertension', 'high blood pressure', 'htn'],
  },
  {
    code: 'R03.0',
    description: 'Elevated blood-pressure reading, without diagnosis of hypertension',
    synonyms: ['elevated blood pressure reading', 'elevated blood pressure'],
  },
  {
    code: 'I25.10',
    description: 'Atherosclerotic heart disease of native coronary artery without angina pectoris',
    synonyms: ['coronary artery disease', 'cad', 'atherosclerotic heart disease'],
  },
  {
    code: 'I48.91',
    description: 'Unspecified atrial fibrillation',
    synonyms: ['atrial fibrillation', 'afib', 'a-fib'],
  },
  {
    code: 'I50.9',
    description: 'Heart failure, unspecified',
    synonyms: ['heart failure', 'congestive heart failure', 'chf'],
  },
  { code: 'R07.9', description: 'Chest pain, unspecified', synonyms: ['chest pain'] },
  { code: 'R00.2', description: 'Palpitations', synonyms: ['palpitations'] },
  {
    code: 'I73.9',
    description: 'Peripheral vascular disease, unspecified',
    synonyms: ['peripheral vascular disease', 'peripheral arterial disease'],
  },
  {
    code: 'I83.90',
    description: 'Asymptomatic varicose veins of unspecified lower extremity',
    synonyms: ['varicose veins'],
  },
  { code: 'R60.9', description: 'Edema, unspecified', synonyms: ['edema', 'oedema'] },
  {
    code: 'R60.0',
    description: 'Localized edema',
    synonyms: ['leg swelling', 'ankle swelling', 'localized edema', 'pedal edema'],
  },
  // Endocrine and metabolic
  {
    code: 'E11.9',
    description: 'Type 2 diabetes mellitus without complications',
    synonyms: [
      'type 2 diabetes',
      'type 2 diabetes mellitus',
      'type ii diabetes',
      't2dm',
      'diabetes mellitus type 2',
      'diabetes mellitus',
      'diabetes',
    ],
  },
  {
    code: 'E11.65',
    description: 'Type 2 diabetes mellitus with hyperglycemia',
    synonyms: [
      'type 2 diabetes with hyperglycemia',
      'type 2 diabetes mellitus with hyperglycemia',
      'uncontrolled type 2 diabetes',
      'poorly controlled type 2 diabetes',
      'poorly controlled diabetes',
      'uncontrolled diabetes',
    ],
  },
  {
    code: 'E11.21',
    description: 'Type 2 diabetes mellitus with diabetic nephropathy',
    synonyms: ['diabetic nephropathy'],
  },
  {
    code: 'E11.22',
    description: 'Type 2 diabetes mellitus with diabetic chronic kidney disease',
    synonyms: ['diabetic chronic kidney disease', 'diabetic ckd'],
  },
  {
    code: 'E11.40',
    description: 'Type 2 diabetes mellitus with diabetic neuropathy, unspecified',
    synonyms: ['diabetic neuropathy'],
  },
  {
    code: 'E11.42',
    description: 'Type 2 diabetes mellitus with diabetic polyneuropathy',
    synonyms: ['diabetic polyneuropathy', 'diabetic peripheral neuropathy'],
  },
  {
    code: 'E11.649',
    description: 'Type 2 diabetes mellitus with hypoglycemia without coma',
    synonyms: ['type 2 diabetes with hypoglycemia', 'diabetes with hypoglycemia'],
  },
  {
    code: 'E10.9',
    description: 'Type 1 diabetes mellitus without complications',
    synonyms: ['type 1 diabetes', 'type 1 diabetes mellitus', 't1dm'],
  },
  { code: 'R73.03', description: 'Prediabetes', synonyms: ['prediabetes', 'pre-diabetes'] },
  { code: 'R73.9', description: 'Hyperglycemia, unspecified', synonyms: ['hyperglycemia'] },
  { code: 'E16.2', description: 'Hypoglycemia, unspecified', synonyms: ['hypoglycemia'] },
  { code: 'E78.5', description: 'Hyperlipidemia, unspecified', synonyms: ['hyperlipidemia', 'dyslipidemia'] },
  {
    code: 'E78.00',
    description: 'Pure hypercholesterolemia, unspecified',
    synonyms: ['hypercholesterolemia', 'high cholesterol'],
  },
  { code: 'E78.1', description: 'Pure hyperglyceridemia', synonyms: ['hypertriglyceridemia', 'high triglycerides'] },
  { code: 'E78.2', description: 'Mixed hyperlipidemia', synonyms: ['mixed hyperlipidemia'] },
  { code: 'E66.9', description: 'Obesity, unspecified', synonyms: ['obesity', 'obese'] },
  {
    code: 'E66.01',
    description: 'Morbid (severe) obesity due to excess calories',
    synonyms: ['morbid obesity', 'severe obesity', 'morbidly obese'],
  },
  { code: 'E66.3', description: 'Overweight', synonyms: ['overweight'] },
  { code: 'E03.9', description: 'Hypothyroidism, unspecified', synonyms: ['hypothyroidism'] },
  {
    code: 'E05.90',
    description: 'Thyrotoxicosis, unspecified without thyrotoxic crisis or storm',
    synonyms: ['hyperthyroidism', 'thyrotoxicosis'],
  },
  { code: 'E55.9', description: 'Vitamin D deficiency, unspecified', synonyms: ['vitamin d deficiency'] },
  {
    code: 'E53.8',
    description: 'Deficiency of other specified B group vitamins',
    synonyms: ['vitamin b12 deficiency', 'b12 deficiency'],
  },
  { code: 'E87.6', description: 'Hypokalemia', synonyms: ['hypokalemia'] },
  { code: 'E87.1', description: 'Hypo-osmolality and hyponatremia', synonyms: ['hyponatremia'] },
  { code: 'D64.9', description: 'Anemia, unspecified', synonyms: ['anemia', 'anaemia'] },
  { code: 'D50.9', description: 'Iron deficiency anemia, unspecified', synonyms: ['iron deficiency anemia'] },
  // Respiratory and ENT
  { code: 'J00', description: 'Acute nasopharyngitis [common cold]', synonyms: ['common cold', 'nasopharyngitis'] },
  {
    code: 'J06.9',
    description: 'Acute upper respiratory infection, unspecified',
    synonyms: ['upper respiratory infection', 'upper respiratory tract infection', 'uri'],
  },
  { code: 'J02.9', description: 'Acute pharyngitis, unspecified', synonyms: ['pharyngitis', 'sore throat'] },
  { code: 'J02.0', description: 'Streptococcal pharyngitis', synonyms: ['strep throat', 'streptococcal pharyngitis'] },
  { code: 'J01.90', description: 'Acute sinusitis, unspecified', synonyms: ['acute sinusitis', 'sinusitis'] },
  { code: 'J32.9', description: 'Chronic sinusitis, unspecified', synonyms: ['chronic sinusitis'] },
  { code: 'J20.9', description: 'Acute bronchitis, unspecified', synonyms: ['acute bronchitis', 'bronchitis'] },
  { code: 'J18.9', description: 'Pneumonia, unspecified organism', synonyms: ['pneumonia'] },
  { code: 'J45.909', description: 'Unspecified asthma, uncomplicated', synonyms: ['asthma'] },
  {
    code: 'J45.901',
    description: 'Unspecified asthma with (acute) exacerbation',
    synonyms: ['asthma exacerbation', 'asthma attack'],
  },
  {
    code: 'J44.9',
    description: 'Chronic obstructive pulmonary disease, unspecified',
    synonyms: ['copd', 'chronic obstructive pulmonary disease'],
  },
  {
    code: 'J44.1',
    description: 'Chronic obstructive pulmonary disease with (acute) exacerbation',
    synonyms: ['copd exacerbation'],
  },
  {
    code: 'J30.9',
    description: 'Allergic rhinitis, unspecified',
    synonyms: ['allergic rhinitis', 'hay fever', 'seasonal allergies'],
  },
  { code: 'R05.9', description: 'Cough, unspecified', synonyms: ['cough'] },
  { code: 'R06.02', description: 'Shortness of breath', synonyms: ['shortness of breath', 'sob'] },
  { code: 'R06.00', description: 'Dyspnea, unspecified', synonyms: ['dyspnea'] },
  { code: 'R50.9', description: 'Fever, unspecified', synonyms: ['fever', 'febrile'] },
  { code: 'U07.1', description: 'COVID-19', synonyms: ['covid-19', 'covid'] },
  {
    code: 'J11.1',
    description: 'Influenza due to unidentified influenza virus with other respiratory manifestations',
    synonyms: ['influenza', 'flu'],
  },
  {
    code: 'H66.90',
    description: 'Otitis media, unspecified, unspecified ear',
    synonyms: ['otitis media', 'ear infection'],
  },
  {
    code: 'H61.20',
    description: 'Impacted cerumen, unspecified ear',
    synonyms: ['impacted cerumen', 'cerumen impaction', 'earwax impaction'],
  },
  { code: 'H10.9', description: 'Unspecified conjunctivitis', synonyms: ['conjunctivitis', 'pink eye'] },
  {
    code: 'G47.33',
    description: 'Obstructive sleep apnea (adult) (pediatric)',
    synonyms: ['obstructive sleep apnea', 'sleep apnea', 'osa'],
  },
  // Genitourinary and renal
  {
    code: 'N39.0',
    description: 'Urinary tract infection, site not specified',
    synonyms: ['urinary tract infection', 'uti'],
  },
  { code: 'N30.00', description: 'Acute cystitis without hematuria', synonyms: ['acute cystitis', 'cystitis'] },
  { code: 'R30.0', description: 'Dysuria', synonyms: ['dysuria', 'painful urination'] },
  { code: 'R31.9', description: 'Hematuria, unspecified', synonyms: ['hematuria', 'blood in urine'] },
  { code: 'R35.0', description: 'Frequency of micturition', synonyms: ['urinary frequency'] },
  { code: 'N18.9', description: 'Chronic kidney disease, unspecified', synonyms: ['chronic kidney disease', 'ckd'] },
  {
    code: 'N18.30',
    description: 'Chronic kidney disease, stage 3 unspecified',
    synonyms: ['chronic kidney disease stage 3', 'ckd stage 3', 'stage 3 chronic kidney disease'],
  },
  {
    code: 'N40.0',
    description: 'Benign prostatic hyperplasia without lower urinary tract symptoms',
    synonyms: ['benign prostatic hyperplasia', 'bph', 'enlarged prostate'],
  },
  { code: 'N52.9', description: 'Male erectile dysfunction, unspecified', synonyms: ['erectile dysfunction'] },
  {
    code: 'N95.1',
    description: 'Menopausal and female climacteric states',
    synonyms: ['menopausal symptoms', 'hot flashes'],
  },
  { code: 'N94.6', description: 'Dysmenorrhea, unspecified', synonyms: ['dysmenorrhea', 'painful periods'] },
  // Digestive
  {
    code: 'K21.9',
    description: 'Gastro-esophageal reflux disease without esophagitis',
    synonyms: ['gastroesophageal reflux disease', 'gastroesophageal reflux', 'gerd', 'acid reflux'],
  },
  { code: 'R12', description: 'Heartburn', synonyms: ['heartburn'] },
  { code: 'K59.00', description: 'Constipation, unspecified', synonyms: ['constipation'] },
  { code: 'R19.7', description: 'Diarrhea, unspecified', synonyms: ['diarrhea', 'diarrhoea'] },
  {
    code: 'K58.9',
    description: 'Irritable bowel syndrome without diarrhea',
    synonyms: ['irritable bowel syndrome', 'ibs'],
  },
  { code: 'R10.9', description: 'Unspecified abdominal pain', synonyms: ['abdominal pain', 'stomach pain'] },
  { code: 'R10.13', description: 'Epigastric pain', synonyms: ['epigastric pain'] },
  { code: 'R11.0', description: 'Nausea', synonyms: ['nausea'] },
  {
    code: 'R11.2',
    description: 'Nausea with vomiting, unspecified',
    synonyms: ['nausea and vomiting', 'nausea with vomiting'],
  },
  {
    code: 'K52.9',
    description: 'Noninfective gastroenteritis and colitis, unspecified',
    synonyms: ['gastroenteritis'],
  },
  {
    code: 'K76.0',
    description: 'Fatty (change of) liver, not elsewhere classified',
    synonyms: ['fatty liver', 'hepatic steatosis', 'nafld'],
  },
  // Musculoskeletal
  {
    code: 'M54.50',
    description: 'Low back pain, unspecified',
    synonyms: ['low back pain', 'lower back pain', 'lumbago'],
  },
  { code: 'M54.2', description: 'Cervicalgia', synonyms: ['neck pain', 'cervicalgia'] },
  { code: 'M54.16', description: 'Radiculopathy, lumbar region', synonyms: ['lumbar radiculopathy'] },
  { code: 'M54.30', description: 'Sciatica, unspecified side', synonyms: ['sciatica'] },
  { code: 'M25.569', description: 'Pain in unspecified knee', synonyms: ['knee pain'] },
  {
    code: 'M25.561',
    description: 'Pain in right knee',
    synonyms: ['right knee pain', 'pain in right knee', 'pain in the right knee'],
  },
  {
    code: 'M25.562',
    description: 'Pain in left knee',
    synonyms: ['left knee pain', 'pain in left knee', 'pain in the left knee'],
  },
  { code: 'M25.519', description: 'Pain in unspecified shoulder', synonyms: ['shoulder pain'] },
  {
    code: 'M17.9',
    description: 'Osteoarthritis of knee, unspecified',
    synonyms: ['osteoarthritis of the knee', 'osteoarthritis of knee', 'knee osteoarthritis'],
  },
  {
    code: 'M19.90',
    description: 'Unspecified osteoarthritis, unspecified site',
    synonyms: ['osteoarthritis', 'degenerative joint disease'],
  },
  { code: 'M79.7', description: 'Fibromyalgia', synonyms: ['fibromyalgia'] },
  { code: 'M10.9', description: 'Gout, unspecified', synonyms: ['gout'] },
  {
    code: 'M81.0',
    description: 'Age-related osteoporosis without current pathological fracture',
    synonyms: ['osteoporosis'],
  },
  {
    code: 'M85.80',
    description: 'Other specified disorders of bone density and structure, unspecified site',
    synonyms: ['osteopenia'],
  },
  { code: 'M79.10', description: 'Myalgia, unspecified site', synonyms: ['myalgia', 'muscle pain'] },
  {
    code: 'G56.00',
    description: 'Carpal tunnel syndrome, unspecified upper limb',
    synonyms: ['carpal tunnel syndrome'],
  },
  // Neurological
  { code: 'R51.9', description: 'Headache, unspecified', synonyms: ['headache'] },
  {
    code: 'G43.909',
    description: 'Migraine, unspecified, not intractable, without status migrainosus',
    synonyms: ['migraine'],
  },
  { code: 'G47.00', description: 'Insomnia, unspecified', synonyms: ['insomnia'] },
  { code: 'R42', description: 'Dizziness and giddiness', synonyms: ['dizziness', 'lightheadedness', 'vertigo'] },
  // Mental and behavioural
  { code: 'F41.1', description: 'Generalized anxiety disorder', synonyms: ['generalized anxiety disorder', 'gad'] },
  { code: 'F41.9', description: 'Anxiety disorder, unspecified', synonyms: ['anxiety'] },
  { code: 'F32.A', description: 'Depression, unspecified', synonyms: ['depression'] },
  {
    code: 'F32.9',
    description: 'Major depressive disorder, single episode, unspecified',
    synonyms: ['major depressive disorder', 'major depression'],
  },
  {
    code: 'F33.9',
    description: 'Major depressive disorder, recurrent, unspecified',
    synonyms: ['recurrent major depression', 'recurrent depression'],
  },
  {
    code: 'F90.9',
    description: 'Attention-deficit hyperactivity disorder, unspecified type',
    synonyms: ['adhd', 'attention deficit hyperactivity disorder'],
  },
  {
    code: 'F17.210',
    description: 'Nicotine dependence, cigarettes, uncomplicated',
    synonyms: ['nicotine dependence', 'smokes cigarettes', 'cigarette smoker', 'current smoker'],
  },
  { code: 'Z72.0', description: 'Tobacco use', synonyms: ['tobacco use'] },
  {
    code: 'Z87.891',
    description: 'Personal history of nicotine dependence',
    synonyms: ['former smoker', 'ex-smoker', 'history of smoking'],
  },
  // Skin
  { code: 'L30.9', description: 'Dermatitis, unspecified', synonyms: ['dermatitis', 'eczema'] },
  { code: 'L20.9', description: 'Atopic dermatitis, unspecified', synonyms: ['atopic dermatitis'] },
  { code: 'L70.0', description: 'Acne vulgaris', synonyms: ['acne', 'acne vulgaris'] },
  { code: 'L03.90', description: 'Cellulitis, unspecified', synonyms: ['cellulitis'] },
  { code: 'B35.1', description: 'Tinea unguium', synonyms: ['onychomycosis', 'toenail fungus', 'tinea unguium'] },
  { code: 'L40.0', description: 'Psoriasis vulgaris', synonyms: ['psoriasis'] },
  { code: 'L57.0', description: 'Actinic keratosis', synonyms: ['actinic keratosis'] },
  { code: 'L72.0', description: 'Epidermal cyst', synonyms: ['epidermal cyst', 'sebaceous cyst'] },
  { code: 'R21', description: 'Rash and other nonspecific skin eruption', synonyms: ['rash'] },
  // Symptoms and general
  { code: 'R53.83', description: 'Other fatigue', synonyms: ['fatigue', 'tiredness'] },
  { code: 'R63.4', description: 'Abnormal weight loss', synonyms: ['weight loss', 'unintentional weight loss'] },
  // Encounters and status (Z codes)
  {
    code: 'Z00.00',
    description: 'Encounter for general adult medical examination without abnormal findings',
    synonyms: ['annual physical', 'annual exam', 'wellness visit', 'routine physical'],
  },
  {
    code: 'Z23',
    description: 'Encounter for immunization',
    synonyms: ['immunization', 'vaccination', 'flu shot', 'flu vaccine'],
  },
  {
    code: 'Z12.11',
    description: 'Encounter for screening for malignant neoplasm of colon',
    synonyms: ['colon cancer screening', 'colorectal cancer screening', 'screening colonoscopy'],
  },
  {
    code: 'Z12.31',
    description: 'Encounter for screening mammogram for malignant neoplasm of breast',
    synonyms: ['screening mammogram'],
  },
  { code: 'Z13.1', description: 'Encounter for screening for diabetes mellitus', synonyms: ['diabetes screening'] },
  {
    code: 'Z79.4',
    description: 'Long term (current) use of insulin',
    synonyms: ['long-term insulin', 'insulin therapy', 'on insulin'],
  },
  {
    code: 'Z79.01',
    description: 'Long term (current) use of anticoagulants',
    synonyms: ['long-term anticoagulation', 'on anticoagulation', 'anticoagulant therapy'],
  },
];

const BY_CODE: ReadonlyMap<string, CuratedIcd10CmCode> = new Map(
  PRIMARY_CARE_ICD10CM.map((entry) => [entry.code, entry]),
);

/** The curated description of a code, when the table has it. */
export function curatedDescription(code: string): string | undefined {
  return BY_CODE.get(code)?.description;
}
