// Curated vocabulary for the name rule: the cues that announce a name and the clinical words that look like one.
import { wordSet } from './word-set.ts';

/** Honorifics and forms of address; the words after them are a name whatever their dictionary status. */
export const NAME_TITLES = wordSet(`
  dr doctor mr mrs ms miss mx mister madam mme mlle prof professor rev reverend fr pastor rabbi imam chaplain
  sister nurse hon judge officer deputy sgt sergeant capt captain lt lieutenant col colonel maj major gen cmdr
  coach dean sir dame lady lord senor senora sra srta don dona herr frau`);

/**
 * Titles that are also everyday nouns ("the nurse line", "the doctor will call", "works as a pastor."): the word
 * after them is a name only when it can be one, and a full stop after them ends a sentence rather than an
 * abbreviation.
 */
export const ROLE_TITLES = wordSet(`
  doctor professor reverend pastor rabbi imam chaplain sister nurse judge officer deputy sergeant captain lieutenant
  colonel major coach dean`);

/** Titles that are also common clinical abbreviations when upper-case (MR mitral regurgitation, MS sclerosis). */
export const AMBIGUOUS_UPPER_TITLES = wordSet('mr ms dr don col gen maj lt sr');

/** Post-nominal credentials: the words before them are a clinician's name. */
export const CREDENTIALS = wordSet(`
  md do mbbs mbchb dds dmd dpm od phd pharmd psyd edd dnp dvm rn bsn msn lpn lvn cna np aprn fnp anp agnp pnp whnp
  cnp acnp crna cnm cns pa pa-c pac rph lcsw licsw lmsw msw lpc lmhc lmft mft bcba ccc-slp slp otr otr-l ot dpt pt
  pta rd rdn ld cde cdces rrt crt emt emt-p nrp faap facp facs facc fache fasn mph mba ms ma cma rma bs ba mha
  cpnp fnp-bc fnp-c anp-bc agacnp-bc pmhnp pmhnp-bc`);

/** Credentials that are also US state codes or common abbreviations: they mark a name only after a known name. */
export const AMBIGUOUS_CREDENTIALS = wordSet('md pa ma ms do pt ot rd ld bs ba pac');

export const GENERATIONAL_SUFFIXES = wordSet('jr sr ii iii iv');

/** Lower-case words that may sit inside a name ("Ludwig van Beethoven", "Maria de la Cruz"). */
export const NAME_PARTICLES = wordSet('de del della der di da dos das du la le van von ter ten bin ibn al el y st');

/** Relatives and people around the patient: "his daughter Mary", "wife: Ann". */
export const RELATION_CUES = wordSet(`
  son sons daughter daughters wife husband spouse partner mother mom mum mommy mama father dad daddy papa parent
  parents brother brothers sister sisters sibling siblings aunt uncle grandson granddaughter grandchild grandmother
  grandma granny nana grandfather grandpa niece nephew cousin friend boyfriend girlfriend fiance fiancee
  stepson stepdaughter stepmother stepfather stepmom stepdad child baby twin neighbor neighbour roommate coworker
  caregiver guardian sitter landlord employer boss godmother godfather widow widower ex`);

/** Roles that precede a name in notes: "patient John Smith", "PCP Jane Doe", "interpreter Ana". */
export const ROLE_CUES = wordSet(`
  patient pt pcp attending resident intern surgeon physician provider therapist counselor psychologist psychiatrist
  pharmacist dietitian nutritionist interpreter translator aide cardiologist oncologist neurologist nephrologist
  endocrinologist gastroenterologist pulmonologist rheumatologist dermatologist urologist podiatrist dentist
  optometrist ophthalmologist hospitalist intensivist anesthesiologist radiologist pathologist pediatrician
  obstetrician gynecologist midwife doula chiropractor orthopedist specialist consultant nurse doctor member
  subscriber beneficiary enrollee insured client resident veteran claimant applicant`);

/** Words after which a capitalised word is a name: "seen by", "spoke with", "Dear", "cc". */
export const PHRASE_CUES = wordSet(`
  by with per dear cc attn attention named called contacted paged texted emailed messaged notified informed
  regarding re aka alias nee`);

/** Field labels that, followed by a colon, introduce a name ("Patient Name: SMITH, JOHN"). */
export const NAME_FIELD_LABELS = wordSet(`
  name patient pt guarantor subscriber insured holder contact kin nok spouse mother father parent guardian
  caregiver pcp attending referring provider physician surgeon assistant anesthesiologist anesthetist resident
  fellow nurse rn np pa author signed signer cosigner dictated transcribed verified reviewed ordered ordering
  requested requestor from to cc attn interpreter witness consultant sender recipient manager worker therapist
  chaplain pharmacist clinician practitioner doctor dr performed collected entered authenticated approved
  electronically prepared completed seen accompanied brought emergency son daughter wife husband partner`);

/** Words of a field label that say the field is not a person ("Name of facility:", "Provider type:"). */
export const NON_PERSON_FIELD_WORDS = wordSet(`
  facility hospital clinic practice plan insurance group company employer pharmacy type specialty address phone
  fax date time number id code status location department unit service program medication drug test procedure
  diagnosis complaint reason relationship relation language religion race ethnicity gender sex`);

/** Letter closings: the next line carries the writer's name. */
export const SIGN_OFFS = wordSet(`
  sincerely regards respectfully cordially thanks thank best warmly cheers yours`);

/**
 * Given names that the clinical and geographic vocabulary below also holds ("Dakota", "Georgia", "Christian"): a
 * name when a greeting, a sign-off or a surname beside them says so.
 */
export const GIVEN_NAMES_ALSO_PLACES = wordSet(`
  dakota georgia virginia carolina indiana montana nevada florida arizona alaska kansas maryland jersey washington
  aspen christian`);

/** Greetings and thanks: a lone word after them and before a comma is the person addressed ("Hi Dakota,"). */
export const GREETINGS = wordSet('hi hello hey dear thanks thank thx ty morning afternoon evening bye goodbye');

/** Verbs that take a person in transcripts and portal messages ("ask for maria", "tell jose i called"). */
export const ADDRESS_VERBS = wordSet('tell told telling ask asked asking let');

/** Words that follow a greeting without being a name ("Hi team,", "Thanks again", "Hello everyone"). */
export const NOT_ADDRESSEES = wordSet(`
  team all everyone everybody anyone folks guys doc docs doctor doctors nurse nurses there again sir madam mam maam
  friend friends dear love sweetie honey babe buddy pal yall both much lots ladies gentlemen colleague colleagues
  staff patient patients mom dad mother father son daughter you ya u again so very much bunch million tons in
  advance god goodness gosh ok okay sure yes no alot good great kindly doctora`);

/** Words before a city name: "lives in", "moved to", "from". */
export const LOCATION_CUES = wordSet(`
  of city in from to near at outside around visiting visited toward towards into via downtown relocated moved lives
  living resides residing born raised`);

/**
 * Function words: never part of a name, even where a name list holds them (the census first-name list contains
 * "In", "My", "So").
 */
export const FUNCTION_WORDS = wordSet(`
  a an the and or but nor if then than that this these those there here where when while who whom whose which what
  why how is are was were be been being am do does did done has have had having would shall should can could
  might must not no yes of in on at by for from to with without within into onto upon over under about above
  below after before between among through during until since per via as so such too very also just only even
  still yet again ever never always often i me my mine we us our ours you your yours he him his she her hers it
  its they them their theirs one ones all any both each every few many more most other some none own same else
  out up down off away back well much hi hello hey ok okay yes yeah yep nope um uh oh ah hmm mm bye sure right
  alright thanks please sorry`);

/**
 * Clinical vocabulary, places and calendar words that appear capitalised in notes and also in the name or city
 * lists; a word here is never a name without a title or field cue.
 */
export const NON_NAME_WORDS = wordSet(`
  patient patients pt doctor physician nurse provider clinician surgeon attending resident fellow intern student
  staff team service unit ward floor bed room clinic hospital office department emergency urgent care history
  present illness chief complaint review systems physical exam examination assessment plan impression diagnosis
  diagnoses differential disposition recommendations recommendation followup signature signed addendum note notes
  summary discharge admission admit admitted transfer consult consultation progress procedure operative operation
  postoperative preoperative findings indication indications technique results result labs lab laboratory imaging
  radiology pathology microbiology vitals vital medications medication meds allergies allergy social family
  surgical medical problem problems active inactive resolved general constitutional skin heent head eyes ears
  nose mouth throat neck chest breast breasts heart cardiovascular lungs respiratory pulmonary abdomen abdominal
  gastrointestinal genitourinary musculoskeletal extremities neurologic neurological neuro psychiatric psych
  endocrine hematologic lymphatic integumentary spine pelvis rectal genital cardiology oncology neurology
  nephrology gastroenterology pulmonology endocrinology rheumatology dermatology urology orthopedics orthopaedics
  psychiatry psychology pediatrics obstetrics gynecology ophthalmology otolaryngology hematology infectious
  anesthesia anesthesiology podiatry physiatry geriatrics hospice palliative internal medicine surgery trauma icu
  micu sicu ccu picu nicu pacu telemetry rehab rehabilitation therapy occupational speech nutrition dietary
  pharmacy anterior posterior lateral medial superior inferior proximal distal bilateral unilateral normal
  abnormal negative positive stable unstable acute chronic mild moderate severe denies reports states endorses
  hypertension diabetes mellitus hyperlipidemia asthma copd pneumonia sepsis cancer carcinoma lymphoma leukemia
  melanoma sarcoma stroke infarction ischemia angina arrhythmia fibrillation tachycardia bradycardia murmur edema
  effusion embolism thrombosis anemia obesity depression anxiety dementia delirium seizure epilepsy migraine
  headache fever chills cough dyspnea nausea vomiting diarrhea constipation pain fatigue malaise dizziness syncope
  rash pruritus miami philadelphia aspen senna norco calcium chloride nitro po im
  tylenol acetaminophen ibuprofen advil motrin aleve naproxen aspirin asa plavix clopidogrel eliquis apixaban
  xarelto rivaroxaban coumadin warfarin heparin lovenox enoxaparin lasix furosemide bumex torsemide lisinopril
  losartan valsartan amlodipine norvasc metoprolol lopressor toprol atenolol carvedilol coreg diltiazem cardizem
  verapamil digoxin amiodarone atorvastatin lipitor simvastatin zocor rosuvastatin crestor pravastatin metformin
  glipizide glyburide insulin lantus humalog novolog levemir januvia jardiance farxiga ozempic trulicity victoza
  synthroid levothyroxine prednisone medrol dexamethasone decadron albuterol proventil ventolin symbicort advair
  spiriva flovent singulair omeprazole prilosec pantoprazole protonix famotidine pepcid zofran ondansetron reglan
  colace miralax dulcolax lactulose gabapentin neurontin lyrica tramadol ultram oxycodone percocet hydrocodone
  vicodin morphine dilaudid fentanyl methadone suboxone narcan naloxone ativan lorazepam xanax alprazolam
  klonopin valium ambien trazodone zoloft sertraline prozac fluoxetine celexa lexapro paxil effexor cymbalta
  wellbutrin remeron seroquel zyprexa risperdal abilify haldol lithium lamictal keppra dilantin depakote tegretol
  topamax aricept namenda sinemet augmentin amoxicillin zithromax azithromycin doxycycline keflex cephalexin
  rocephin ancef vancomycin vanco zosyn meropenem cipro levaquin bactrim macrobid flagyl clindamycin diflucan
  valtrex tamiflu paxlovid potassium magnesium sodium vitamin folate thiamine flomax proscar allopurinol
  colchicine methotrexate humira enbrel remicade keytruda herceptin tamoxifen epogen neupogen entresto brilinta
  effient cialis viagra premarin provera depo nexplanon mirena lantus dexcom libre tresiba basaglar
  january february march september october november december jan feb mar apr jun jul aug sep sept oct nov dec
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
  thurs fri sat sun today tomorrow yesterday
  alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois
  indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
  montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode
  tennessee texas utah vermont virginia washington wisconsin wyoming america usa canada
  american african asian hispanic latino latina caucasian english spanish french chinese vietnamese korean russian
  arabic portuguese haitian creole german italian polish japanese tagalog hindi somali navajo
  christian catholic baptist methodist lutheran jewish muslim hindu buddhist mormon jehovah
  medicare medicaid tricare aetna cigna humana anthem bluecross kaiser united
  male female man woman boy girl gentleman lady mr mrs ms dr
  na cl ca mg phos bun cr creat alt ast alk hgb hct wbc rbc plt inr ptt tsh ldl hdl bnp trop lactate glucose
  albumin bili lipase amylase ferritin iron tibc hba esr crp procal abg vbg ekg ecg echo cxr mri ct pet eeg emg
  ua ucx bcx dvt pe mi cad chf afib ckd esrd gerd bph uti ards aki sob cp loc nad wnl rrr ctab perrla eomi
  prn bid tid qid qhs qd qam qpm temp pulse resp weight height bmi sat sats spo bp hr rr shield ppo hmo epo
  street avenue road drive lane boulevard court parkway highway portal mychart username login password`);

/**
 * Eponyms used far more often for a disease, sign or device than for a person in notes ("h/o Parkinson's", "Foley
 * removed"): a name only with a cue or a given name beside it. Common surnames that are also eponyms (Bell, Murphy,
 * Baker) are not here; EPONYM_HEADS after them ("Baker cyst") is what stops them.
 */
export const EPONYMS = wordSet(`
  parkinson parkinsons alzheimer alzheimers hodgkin hodgkins crohn crohns cushing cushings huntington huntingtons
  guillain barre kaposi raynaud raynauds wernicke korsakoff asperger aspergers lyme lewy tinel phalen lachman
  mcmurray spurling trendelenburg valsalva kussmaul cheyne zenker meckel hirschsprung kawasaki marfan ehlers
  danlos klinefelter gaucher fabry pompe wilms ewing burkitt coombs gleason breslow apgar apgars glasgow
  mallampati foley holter doppler gram pap epley heimlich whipple nissen roux bartholin homan homans mcburney
  romberg babinski rovsing kernig brudzinski chvostek trousseau virchow sequard osgood schlatter perthes
  dupuytren peyronie paget pagets reiter behcet takayasu wegener churg goodpasture alport fanconi bartter
  gitelman sheehan friderichsen osler rendu henoch schonlein lesch nyhan prader willi angelman rett noonan
  digeorge swan ganz hickman broviac groshong penrose hemovac karnofsky ecog nyha killip tuohy pfannenstiel
  kocher lanz adson finkelstein ortolani galeazzi durkan yergason apley thessaly lisfranc maisonneuve monteggia
  sjogren sjogrens hashimoto hashimotos tourette tourettes graves addisons`);

/** Words after a name that make it a disease, sign, device or place rather than a person ("Baker cyst", "Elm Street"). */
export const EPONYM_HEADS = wordSet(`
  disease diseases syndrome sign signs test tests maneuver manoeuvre criteria score scale scales classification
  catheter tube drain stain procedure operation repair fundoplication reflex palsy phenomenon lymphoma sarcoma
  tumor tumour esophagus cyst fracture node nodes monitor virus bodies body dementia ulcer triad law line formula
  equation position method technique approach incision point loop gland glands duct space ligament muscle nerve
  cell cells solution chorea anomaly disorder encephalopathy neuroma neuralgia contracture rule rules index grade
  grades stage staging type class aneurysm hernia spots nodule nodules tear lesion maneuvers percussion pouch
  diverticulum membrane bundle block hypothesis effect respiration breathing thyroiditis ophthalmopathy
  disorder infarct paralysis dystrophy anemia
  street st avenue ave road rd boulevard blvd drive lane ln court ct way place parkway highway county city
  township park school church university college`);
