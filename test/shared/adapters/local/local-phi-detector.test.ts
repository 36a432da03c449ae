import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalPhiDetector } from '../../../../shared/adapters/local/local-phi-detector.ts';
import type { PhiSpan, PhiType } from '../../../../shared/phi/phi-types.ts';
import type { PhiDetector } from '../../../../shared/ports/phi-detector.ts';

const detector = new LocalPhiDetector();

/** The first span covering the first occurrence of `value` at or after `from`. */
function spanCovering(text: string, value: string, from = 0): PhiSpan | undefined {
  const begin = text.indexOf(value, from);
  if (begin < 0) throw new Error(`test text does not contain ${value}`);
  return detector.detectSync(text).find((span) => span.begin <= begin && span.end >= begin + value.length);
}

/** Spans touching the first occurrence of `value`. */
function spansTouching(text: string, value: string): PhiSpan[] {
  const begin = text.indexOf(value);
  if (begin < 0) throw new Error(`test text does not contain ${value}`);
  return detector.detectSync(text).filter((span) => span.begin < begin + value.length && span.end > begin);
}

function expectFound(text: string, value: string, type: PhiType): void {
  const span = spanCovering(text, value);
  expect(span, `${value} in: ${text}`).toBeDefined();
  expect(span?.type, `${value} in: ${text}`).toBe(type);
}

function expectNotFound(text: string, value: string): void {
  expect(spansTouching(text, value), `${value} in: ${text}`).toEqual([]);
}

/** The exact text of every span, for offset assertions. */
const spanTexts = (text: string): string[] => detector.detectSync(text).map((s) => text.slice(s.begin, s.end));

/** Asserts a span of `type` that begins and ends exactly at the first occurrence of `value`. */
function expectExact(text: string, value: string, type: PhiType): void {
  const begin = text.indexOf(value);
  if (begin < 0) throw new Error(`test text does not contain ${value}`);
  const found = detector.detectSync(text).map(({ begin, end, type }) => ({ begin, end, type }));
  expect(found, `${value} in: ${text}`).toContainEqual({ begin, end: begin + value.length, type });
}

describe('LocalPhiDetector', () => {
  describe('implements the PhiDetector port', () => {
    it('is named local-rules and resolves the same spans as detectSync', async () => {
      const port: PhiDetector = detector;
      const text = 'Seen by Dr. Okafor on 03/14/2024.';
      expect(port.name).toBe('local-rules');
      await expect(port.detect(text)).resolves.toEqual(detector.detectSync(text));
    });

    it('rejects instead of resolving when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new Error('cancelled'));
      await expect(detector.detect('SSN 123-45-6789', controller.signal)).rejects.toThrow('cancelled');
    });

    it('returns no spans for empty text', () => {
      expect(detector.detectSync('')).toEqual([]);
    });

    it('reports only the categories it is configured for', () => {
      const text = 'Mr. John Smith, SSN 123-45-6789, seen 03/14/2024.';
      const datesOnly = new LocalPhiDetector({ types: ['DATE'] }).detectSync(text);
      expect(datesOnly.map((span) => span.type)).toEqual(['DATE']);
    });

    it('drops spans below the configured minimum score', () => {
      const text = 'Reference 48213377 was filed by Dr. Okafor.';
      const all = detector.detectSync(text).map((span) => span.type);
      const confident = new LocalPhiDetector({ minScore: 0.9 }).detectSync(text).map((span) => span.type);
      expect(all).toContain('ID');
      expect(confident).toEqual(['NAME']);
    });

    it('labels every span with its detector and a score in (0, 1]', () => {
      for (const span of detector.detectSync('Pt John Smith, MRN 00482915, DOB 4/17/1931.')) {
        expect(span.detector).toBe('local-rules');
        expect(span.score).toBeGreaterThan(0);
        expect(span.score).toBeLessThanOrEqual(1);
      }
    });
  });

  describe('finds names', () => {
    it.each([
      ['after a title', 'Follow up with Dr. Lucille Okafor next week.', 'Lucille Okafor'],
      ['after Mrs. in lower case', 'doctor: hi mrs delgado, how are you', 'delgado'],
      ['with a middle initial', 'Patient seen by Dr. Mary A. Jones today.', 'Mary A. Jones'],
      ['before a credential', 'Electronically signed: Rajesh Venkataraman, MD', 'Rajesh Venkataraman'],
      ['before PA-C', 'Note written by Jordan Ellis PA-C at noon.', 'Jordan Ellis'],
      ['as LAST, FIRST M in a header', 'PATIENT: HARTWELL, EUGENIA M   MRN: 00482915', 'HARTWELL, EUGENIA M'],
      ['as Last, First in a list', 'Attendees: Nguyen, Thanh and others', 'Nguyen, Thanh'],
      ['as Smith, J. with an initial', 'Reviewed by Smith, J. on rounds.', 'Smith, J'],
      ['after a relative', 'Her daughter, Patricia Gomez, brought her in.', 'Patricia Gomez'],
      ['after a relative in a transcript', 'my daughter jessica had to drive me', 'jessica'],
      ['after "my name is"', 'patient: my name is maria lopez', 'maria lopez'],
      ['after a field label', 'Emergency Contact: Kowalski, Peter (husband)', 'Kowalski, Peter'],
      ['after Dear', 'Dear Ms. Whitfield,\nThank you for your letter.', 'Whitfield'],
      ['after a sign-off', 'Best regards,\nElena Vasquez-Moreno\nCardiology', 'Elena Vasquez-Moreno'],
      ['after cc:', 'cc: Lucille Okafor; Patricia Gomez', 'Patricia Gomez'],
      ['without a cue, from the name lists', 'Yesterday Maria Hernandez called about her refill.', 'Maria Hernandez'],
      ['with an accented letter', 'Interpreter José Muñoz assisted.', 'José Muñoz'],
      ['with an apostrophe', "Seen with Mr. James O'Brien in clinic.", "James O'Brien"],
      ['with a common-word surname', 'Will Smith from the front desk called.', 'Will Smith'],
      ['in an HL7 segment', 'PID|1||84421973^^^MERCY^MR||KOWALSKI^ANNA^J||19470522|F', 'KOWALSKI'],
      ['in a table with a name column', 'name,dob\n"Oyelaran, Folake",02/29/1960', 'Oyelaran, Folake'],
    ])('%s', (_case, text, name) => {
      expectFound(text, name, 'NAME');
    });

    it('gives exact offsets without the title, credential or possessive', () => {
      const text = "Dr. Amanda Whitfield, MD reviewed Mary's chart.";
      expect(spanTexts(text)).toEqual(['Amanda Whitfield', 'Mary']);
      const [whitfield] = detector.detectSync(text);
      expect(whitfield).toMatchObject({ begin: 4, end: 20, type: 'NAME' });
    });

    it('finds a name again wherever the document repeats it', () => {
      const text = 'Mr. Brown was admitted. Later Brown reported less pain.';
      expectFound(text, 'Brown', 'NAME');
      expect(spanCovering(text, 'Brown', 24)?.type).toBe('NAME');
    });

    it.each([
      ['drug names', 'Continue Eliquis 5 mg, Jardiance 10 mg and Lasix 40 mg daily.', 'Eliquis'],
      ['eponymous diseases', "History of Parkinson's disease and Hodgkin lymphoma.", 'Parkinson'],
      ['eponymous signs', 'Murphy sign negative, Babinski downgoing.', 'Murphy'],
      ['eponymous scales', 'Glasgow Coma Scale 15.', 'Glasgow'],
      ['devices named after people', 'Foley catheter removed; Holter monitor ordered.', 'Foley'],
      ['common words that are names', 'Will trend troponins. May consider MRI. Brown stool.', 'Brown'],
      ['section headings', 'Chief Complaint: chest pain. Assessment and Plan: admit.', 'Assessment'],
      ['lab abbreviations', 'Na 134, K 5.4, Cl 99, Cr 2.3', 'Na'],
      ['clinical abbreviations after a cue', 'father with MI at 62', 'MI'],
      ['departments after "per"', 'Per Nephrology, hold Lasix. Discussed with Radiology.', 'Nephrology'],
    ])('does not take %s for names', (_case, text, word) => {
      expectNotFound(text, word);
    });
  });

  describe('finds dates', () => {
    it.each([
      ['03/14/2024', 'Admitted 03/14/2024 for chest pain.'],
      ['3/14/24', 'Seen 3/14/24 in clinic.'],
      ['2024-03-14', 'Collected 2024-03-14 at the lab.'],
      ['14-Mar-2024', 'Procedure 14-Mar-2024 without complication.'],
      ['March 14, 2024', 'Discharged March 14, 2024.'],
      ['Mar 14th', 'Return on Mar 14th.'],
      ['14 March', 'Planned for 14 March.'],
      ['14th of March', 'Scheduled for the 14th of March.'],
      ['March 2024', 'Last colonoscopy March 2024.'],
      ['Saturday, March 9, 2024 at 2:15 PM', 'Discharged Saturday, March 9, 2024 at 2:15 PM to home.'],
      ['3/14', 'She was admitted on 3/14 with sepsis.'],
      ['19470522', 'PID|1||123||DOE^JANE||19470522|F'],
      ['06/2025', 'Vaccine lot expires 06/2025.'],
      ['July', 'Plans to travel in July.'],
      ['3/4', 'Labs on Monday 3/4.'],
      ['sunday', 'i was so dizzy on sunday'],
    ])('finds %s', (date, text) => {
      expectFound(text, date, 'DATE');
    });

    it('gives the exact offsets of a date with its time', () => {
      const text = 'Signed 03/09/2024 16:42 by the attending.';
      expect(detector.detectSync(text)).toEqual([
        { begin: 7, end: 23, type: 'DATE', score: 0.95, detector: 'local-rules' },
      ]);
    });

    it.each([
      ['a bare year', 'In 2019 she had a fall. Quit smoking 2015.', '2019'],
      ['blood pressure', 'BP 120/80, HR 72.', '120/80'],
      ['a strength grade', 'Strength 5/5 throughout, murmur 2/6.', '5/5'],
      ['a pain score', 'Pain 7/10 at rest.', '7/10'],
      ['a dose fraction', 'Take 1/2 tab at night.', '1/2'],
      ['a combination drug', 'Sinemet 25/100 TID.', '25/100'],
    ])('does not take %s for a date', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds ages over 89', () => {
    it.each([
      ['92', 'Mrs. H is a 92-year-old woman.'],
      ['94', 'Patient aged 94 presents with a fall.'],
      ['101', 'Age: 101'],
      ['95', '95 yo F with dementia.'],
      ['95', '95yo F with dementia.'],
      ['ninety-two', 'A ninety-two year old man.'],
      ['94', "doctor: you're 94 now right?"],
    ])('finds %s', (age, text) => {
      expectFound(text, age, 'AGE');
    });

    it('reports the number only', () => {
      expect(spanTexts('A 92-year-old woman.')).toEqual(['92']);
    });

    it.each([
      ['an age under 90', '45 yo M with diabetes, age 89 at onset.', '45'],
      ['an age of 89', 'She is 89 years old.', '89'],
      ['a temperature', 'Tmax 101F overnight.', '101'],
      ['a heart rate', 'HR is 95 and regular.', '95'],
    ])('does not report %s', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds places', () => {
    it.each([
      ['1200 Riverside Drive', 'Lives at 1200 Riverside Drive, Springfield, IL 62704.', 'ADDRESS'],
      ['48 Willow Creek Lane, Apt 3', 'Home: 48 Willow Creek Lane, Apt 3, Decatur.', 'ADDRESS'],
      ['7721 W ELM ST', 'ADDRESS: 7721 W ELM ST, CHICAGO, IL 60634', 'ADDRESS'],
      ['PO Box 1182', 'Mail to PO Box 1182.', 'ADDRESS'],
      ['1419 north maple avenue', "my address changed, it's 1419 north maple avenue now", 'ADDRESS'],
      ['Springfield', 'Lives at 1200 Riverside Drive, Springfield, IL 62704.', 'LOCATION'],
      ['Dayton', 'She moved from Dayton last year.', 'LOCATION'],
      ['Boston', 'Boston, Massachusetts', 'LOCATION'],
      ['Cook County', 'Resident of Cook County.', 'LOCATION'],
      ['62704', 'Springfield, IL 62704', 'ZIP'],
      ['02115-4410', 'Mail to zip 02115-4410.', 'ZIP'],
      ['Mercy Medical Center', 'Transferred from Mercy Medical Center today.', 'FACILITY'],
      ["St. Mary's Hospital", "Born at St. Mary's Hospital.", 'FACILITY'],
      ['Lakeside Family Clinic', 'Follow up at Lakeside Family Clinic.', 'FACILITY'],
      ['Cedar Ridge Nursing Home', 'Discharged to Cedar Ridge Nursing Home on Monday.', 'FACILITY'],
      [
        'Hospital of the University of Pennsylvania',
        'Seen at the Hospital of the University of Pennsylvania.',
        'FACILITY',
      ],
      ["St. Luke's", "Treated at St. Luke's in 1998.", 'FACILITY'],
      ['Sunrise Assisted Living', 'Fell at Sunrise Assisted Living.', 'FACILITY'],
      ['Boston', 'Works for the City of Boston as a driver.', 'LOCATION'],
      ['Somerville', 'Lives at 55 Elm St #2R, Somerville, MA.', 'LOCATION'],
      ['Elm Street', 'Seen at the pharmacy on Elm Street.', 'ADDRESS'],
    ] as const)('finds %s', (value, text, type) => {
      expectFound(text, value, type);
    });

    it('gives exact offsets for a city, state and ZIP line', () => {
      const text = 'Boston, MA 02108';
      expect(spanTexts(text)).toEqual(['Boston', '02108']);
    });

    it.each([
      [
        'a generic department',
        'Seen in the Emergency Department and Family Medicine Clinic.',
        'Family Medicine Clinic',
      ],
      ['a lab value after a state-like word', 'CPT 99213 billed.', '99213'],
      ['a section heading', 'Labs: Na 139.', 'Labs'],
      ['a clinician with MD', 'Jane Doe, MD', 'Jane Doe'],
    ])('does not take %s for a place', (_case, text, value) => {
      for (const span of spansTouching(text, value)) expect(['NAME']).toContain(span.type);
    });
  });

  describe('finds contact details', () => {
    it.each([
      ['(217) 555-0143', 'Call (217) 555-0143 today.', 'PHONE'],
      ['217-555-0199', 'Phone 217-555-0199.', 'PHONE'],
      ['617.555.0177 x204', 'Reach him at 617.555.0177 x204.', 'PHONE'],
      ['+1 555 123 4567', 'Cell +1 555 123 4567.', 'PHONE'],
      ['555-1234', 'Nurse line 555-1234.', 'PHONE'],
      ['+44 20 7946 0958', 'Daughter in London: +44 20 7946 0958.', 'PHONE'],
      ['217-555-0198', 'Phone 217-555-0199, fax 217-555-0198.', 'FAX'],
      ['(773) 555-0100', 'F: (773) 555-0100', 'FAX'],
      ['ehartwell31@gmail.com', 'Email: ehartwell31@gmail.com.', 'EMAIL'],
      ['https://mychart.example.org/p/482915', 'Portal https://mychart.example.org/p/482915.', 'URL'],
      ['www.lakesideclinic.com', 'See www.lakesideclinic.com for hours.', 'URL'],
      ['192.168.14.22', 'Logged in from 192.168.14.22 yesterday.', 'IP_ADDRESS'],
      ['2001:db8::8a2e:370:7334', 'IPv6 2001:db8::8a2e:370:7334 logged.', 'IP_ADDRESS'],
    ] as const)('finds %s', (value, text, type) => {
      expectFound(text, value, type);
    });

    it('calls ten bare digits a phone number only after a phone cue', () => {
      expectFound('Cell 5551234567', '5551234567', 'PHONE');
      expectFound('CSN 1002938841', '1002938841', 'ID');
    });

    it('keeps the brackets of an area code inside the span', () => {
      expect(spanTexts('Call (217) 555-0143.')).toEqual(['(217) 555-0143']);
    });

    it.each([
      ['a clock time', 'Meeting at 10:30:45 in room B.', '10:30:45'],
      ['a dose range', 'Give 250-1000 mg as needed.', '250-1000'],
      ['a file name', 'Attached report.pdf for review.', 'report.pdf'],
    ])('does not take %s for contact details', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds record and account numbers', () => {
    it.each([
      ['123-45-6789', 'SSN 123-45-6789', 'SSN'],
      ['123456789', 'Social security number: 123456789', 'SSN'],
      ['00482915', 'MRN: 00482915', 'MRN'],
      ['A7781234', 'Med Rec #: A7781234', 'MRN'],
      ['55120987', 'Chart No. 55120987', 'MRN'],
      ['W123456789', 'Member ID: W123456789', 'HEALTH_PLAN'],
      ['ZXH884422190', 'Policy # ZXH884422190', 'HEALTH_PLAN'],
      ['1EG4-TE5-MK73', 'Medicare ID: 1EG4-TE5-MK73', 'HEALTH_PLAN'],
      ['1EG4TE5MK73', 'Beneficiary card 1EG4TE5MK73 on file', 'HEALTH_PLAN'],
      ['2020-448812', 'Acct #: 2020-448812', 'ACCOUNT'],
      ['4111 1111 1111 1111', 'Paid with 4111 1111 1111 1111.', 'ACCOUNT'],
      ['AV1234563', 'DEA AV1234563', 'LICENSE'],
      ['1234567893', 'NPI: 1234567893', 'LICENSE'],
      ['D1234567', "Driver's license: D1234567", 'LICENSE'],
      ['1HGCM82633A004352', 'Car VIN 1HGCM82633A004352 towed.', 'VEHICLE'],
      ['7ABC123', 'License plate 7ABC123.', 'VEHICLE'],
      ['PJN123456H', 'Pacemaker serial no. PJN123456H.', 'DEVICE'],
      ['(01)00643169007222(17)160128(10)BC170831', 'UDI (01)00643169007222(17)160128(10)BC170831', 'DEVICE'],
      ['S24-118293', 'Specimen ID: S24-118293', 'ID'],
      ['7781123', 'Encounter #: 7781123', 'ID'],
      ['48213377', 'Reference 48213377 was filed.', 'ID'],
    ] as const)('finds %s', (value, text, type) => {
      expectFound(text, value, type);
    });

    it('reads identifiers from the fields of an HL7 PID segment', () => {
      const pid = 'PID|1||84421973^^^MERCY^MR||DOE^JANE||19470522|F||||||||||998877|123-45-6789|';
      expectFound(pid, '84421973', 'MRN');
      expectFound(pid, '998877', 'ACCOUNT');
      expectFound(pid, '123-45-6789', 'SSN');
      expectFound(pid, 'JANE', 'NAME');
    });

    it('reads the columns of a pasted table by their header', () => {
      const table = 'patient,mrn,cell,zip,age\nTran Minh,A7781234,408 555 0110,95112,93\nLe Thi,B0023917,none,94607,45';
      expectFound(table, 'A7781234', 'MRN');
      expectFound(table, '408 555 0110', 'PHONE');
      expectFound(table, '94607', 'ZIP');
      expectFound(table, '93', 'AGE');
      expectFound(table, 'Le Thi', 'NAME');
      expectNotFound(table, '45');
      expectNotFound(table, 'none');
    });

    it('gives the exact offsets of a labelled value', () => {
      expect(detector.detectSync('MRN: 00482915')).toEqual([
        { begin: 5, end: 13, type: 'MRN', score: 0.95, detector: 'local-rules' },
      ]);
    });

    it.each([
      ['ICD-10 codes', 'Dx: E11.9, I50.23, N18.3.', 'E11.9'],
      ['CPT codes', 'CPT 99213 and 93458.', '99213'],
      ['doses', 'Metformin 500 mg, insulin 20 units.', '500'],
      ['lab values', 'Platelets 250,000. WBC 12.4.', '250,000'],
      ['a viral load with its unit', 'Viral load 1500000 copies/mL.', '1500000'],
      ['vitals', 'BP 162/94, HR 112, SpO2 88%.', '162/94'],
    ])('does not take %s for identifiers', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds a stated profession', () => {
    it('finds a stated occupation', () => {
      expectFound('Works as an electrician at the plant.', 'electrician', 'PROFESSION');
    });
  });

  describe('finds practices named for a specialty or service', () => {
    it.each([
      ['Summit Orthopedics', 'Referred to Summit Orthopedics for a second opinion.'],
      ['Coastal Imaging', 'Outside MRI from Coastal Imaging reviewed.'],
      ['Harbor Drug', 'Records from Harbor Drug were reviewed.'],
      ['Bayview Family Medicine', 'PCP is at Bayview Family Medicine.'],
      ['Northside Urgent Care', 'Seen at Northside Urgent Care on Friday.'],
      ['Horizon Dialysis', 'Pt gets dialysis at Horizon Dialysis MWF.'],
      ['Heritage Senior Living', 'Discharged to Heritage Senior Living with home PT.'],
      ['Peak Physical Therapy', 'Continues at Peak Physical Therapy twice weekly.'],
      ['Evergreen OB/GYN', 'Seen at Evergreen OB/GYN last week.'],
      ['Lakeshore Allergy & Asthma', 'Follows with Lakeshore Allergy & Asthma.'],
      ['Summit Cardiology, PC', 'Letter from Summit Cardiology, PC attached.'],
      ['COASTAL IMAGING', 'COASTAL IMAGING\n1200 Riverside Drive'],
      ['STONEBRIDGE DIALYSIS', 'Facility: STONEBRIDGE DIALYSIS'],
      ['CVS', 'Picked up at CVS yesterday.'],
      ['Methodist Hospital', 'Transferred from Methodist Hospital.'],
    ])('finds %s with exact offsets', (value, text) => {
      expectExact(text, value, 'FACILITY');
    });

    it.each([
      ['a department after a verb', 'Appreciate Nephrology recs. Consult Cardiology.', 'Cardiology'],
      ['a clinical modifier', 'Interventional Radiology placed a drain.', 'Interventional Radiology'],
      ['a therapy service', 'Physical Therapy evaluated the patient.', 'Physical Therapy'],
      ['palliative care', 'Palliative Care consulted.', 'Palliative Care'],
      ['a heading', 'Past Medical History: HTN. No Known Drug Allergies.', 'Medical'],
      ['a drug screen', 'Urine Drug Screen negative.', 'Drug'],
      ['a vitamin and a serology', 'Vitamin D. Hepatitis B. Group A strep negative.', 'Group'],
      ['an all-caps heading', 'PHYSICAL THERAPY EVALUATION\nNUCLEAR MEDICINE', 'THERAPY'],
    ])('does not take %s for a facility', (_case, text, value) => {
      for (const span of spansTouching(text, value)) expect(span.type).not.toBe('FACILITY');
    });
  });

  describe('finds names in greetings, signatures and transcripts', () => {
    it.each([
      ['a given name and an initial in a sign-off', 'Thanks,\nDakota R.', 'Dakota R.'],
      ['a given name and a surname in no list', 'Spoke with Maria Iheanacho about the results.', 'Maria Iheanacho'],
      ['a place-like given name and a surname', 'Patient Dakota Nwachukwu arrived late.', 'Dakota Nwachukwu'],
      ['a surname classed a word by its ending', 'Seen with Milan Vukovic today.', 'Milan Vukovic'],
      ['a greeting', 'Hi Dakota,\nYour results are normal.', 'Dakota'],
      ['a greeting to a name in no list', 'Hello Chidi, please call us back.', 'Chidi'],
      ['thanks and a name', 'Thanks, Grace', 'Grace'],
      ['a lower-case greeting', 'hi arjun, the doctor reviewed your labs', 'arjun'],
      ['"this is" in a transcript', 'patient: hi this is ngozi, calling about my refill', 'ngozi'],
      ['"my name is" with a rare surname', 'patient: my name is grace mbeki and i have a question', 'grace mbeki'],
      ['"ask for"', 'nurse: please ask for priya at the front desk', 'priya'],
      ['"tell"', 'patient: can you tell ahmed i called', 'ahmed'],
      ['a dash signature', 'ok thanks\n-- maria', 'maria'],
      ['a lower-case given name and surname', 'i saw maria gonzalez at the store', 'maria gonzalez'],
      ['an unlisted all-caps surname before a given name', 'PATIENT: OKONKWO, ADAEZE', 'OKONKWO, ADAEZE'],
    ])('finds %s', (_case, text, name) => {
      expectExact(text, name, 'NAME');
    });

    it('reads every component of an HL7 patient name field', () => {
      const pid = 'PID|1||123^^^MERCY^MR||OKONKWO^ADAEZE^C||19470522|F';
      expectExact(pid, 'OKONKWO', 'NAME');
      expectExact(pid, 'ADAEZE', 'NAME');
      expectNotFound(pid, 'MERCY^MR');
    });

    it.each([
      ['a team greeting', 'Hi team, thanks so much for your help.', 'team'],
      ['thanks again', 'Thanks again for everything.', 'again'],
      ['a lower-case common word after "tell"', 'tell her to ask for help if needed', 'help'],
      ['a bullet of a drug', '-- continue lisinopril', 'continue'],
      ['a symptom after "i\'m"', "i'm lightheaded, i'm nauseous", 'lightheaded'],
    ])('does not take %s for a name', (_case, text, value) => {
      expectNotFound(text, value);
    });

    it('takes a city named for a state for a place, not a person', () => {
      expectExact('Virginia Beach vacation planned.', 'Virginia Beach', 'LOCATION');
    });
  });

  describe('tells capitalised everyday words from names', () => {
    it.each([
      ['a plural heading word that is also a surname', 'Sharps disposal', 'Sharps'],
      ['a Markdown heading of that plural', '## Sharps disposal\n\nUse the red bin.', 'Sharps'],
      ['an -ing heading word that is also a surname', '## Billing questions\n\nCall the office.', 'Billing'],
      ['a plural at a sentence start', 'Keep the fridge closed. Seeds of doubt start here.', 'Seeds'],
      ['a third-person verb opening a heading', '### Harms of a missed result', 'Harms'],
      ['a plural inside a title-case heading', '## Storage and Sharps Safety', 'Sharps'],
      ['an agent noun in no name list after a greeting', 'Dear Reviewer,\nI am writing to appeal.', 'Reviewer'],
      ['a prefixed word after "with"', 'Share it only with de-identified data.', 'de-identified'],
    ])('does not take %s for a name', (_case, text, value) => {
      expectNotFound(text, value);
    });

    it.each([
      ['a common word after a role title in lower case', 'Call the nurse line after hours.', 'line'],
      ['a modal after "the doctor"', 'The doctor will call you back.', 'will'],
      ['an English word after a role title in title case', '## Nurse Safety checklist', 'Safety'],
      ['the sentence after a role title and a full stop', 'He works as a pastor. Lives alone.', 'Lives'],
      ['a title-case subject line after "RE:"', 'RE: Prior Authorization Request - MRI', 'Prior'],
      ['a greeting after a speaker label', 'Doctor: Good afternoon, how are you?', 'Good'],
      ['a field label on a contact line', 'Ph: 850-239-0104    Fax #: 850-264-8449', 'Fax'],
    ])('does not take %s for a name', (_case, text, value) => {
      expectNotFound(text, value);
    });

    it.each([
      ['after a title', 'Sharps disposal was reviewed with Mr. Sharps.', 'Sharps', 37],
      ['after a listed given name', 'Maria Sharps called about her refill.', 'Maria Sharps', 0],
      ['as LAST, FIRST in a header', 'SHARPS, MARIA   MRN 0048291', 'SHARPS, MARIA', 0],
      ['mid-sentence between lower-case words', 'the results went to Billing yesterday', 'Billing', 0],
      [
        'wherever the document named that person',
        'Mr. Billing was admitted. Billing reported less pain.',
        'Billing',
        20,
      ],
      [
        'after a role title and a name-like word',
        'Nurse Ratched and doctor nguyen saw Sister Mary Joseph.',
        'nguyen',
        0,
      ],
      ['after a role title, a listed name that is a place', 'Referred by Doctor Washington.', 'Washington', 0],
      ['after an abbreviated title and its full stop', 'works as a pastor. Dr. Lives saw him.', 'Lives', 0],
      ['after a greeting in a transcript', 'Doctor: Good morning, Ms. Ferreira.', 'Ferreira', 0],
      ['a surname in no list at a sentence start', 'Sharps disposal done. Nguyen called back.', 'Nguyen', 0],
      ['a hyphenated name with a short particle', 'Seen with Al-Hassan today.', 'Al-Hassan', 0],
    ])('still finds a name %s', (_case, text, name, from) => {
      expect(spanCovering(text, name, from)?.type, `${name} in: ${text}`).toBe('NAME');
    });

    it('finds the name next to the everyday words, and only the name', () => {
      const text = '## Sharps disposal\n\nHarms of delay are reviewed by Dr. Billing with the nurse line.';
      expect(spanTexts(text)).toEqual(['Billing']);
    });
  });

  describe('finds dates written in words or without a year', () => {
    it('covers a date of birth spelled out in words', () => {
      expectFound('Born July thirteenth, nineteen forty-one in Ohio.', 'July thirteenth, nineteen forty-one', 'DATE');
    });

    it.each([
      ['the fifth of May', 'Seen on the fifth of May.'],
      ['the twenty-first of March, 1950', 'Born on the twenty-first of March, 1950.'],
      ['june sixth', 'patient: my birthday is june sixth'],
      ['March 3, nineteen fifty-two', 'DOB March 3, nineteen fifty-two.'],
      ['1/19', 'DOS: 1/19'],
      ['6/5', 'Next appt 6/5 with PCP.'],
      ['12/3', 'Last seen 12/3 for URI.'],
      ['4/25', 'Labs drawn 4/25: Na 134.'],
      ['3/22', 'Symptoms started 3/22.'],
    ])('finds %s', (date, text) => {
      expectExact(text, date, 'DATE');
    });

    it.each([
      ['a fraction after "on"', 'On 1/2 NS at 75 mL/h.', '1/2'],
      ['a change by a fraction', 'Dose decreased by 1/2 today.', '1/2'],
      ['a fraction of days', 'Symptoms on 2/3 of days.', '2/3'],
      ['a strength', 'Started 3/4 strength formula.', '3/4'],
      ['a pain score', 'Pain since 5/10 pain yesterday.', '5/10'],
      ['the verb may', 'we may first try diet changes', 'may first'],
      ['an ordinal without a month', 'On the third day of admission she improved.', 'third'],
    ])('does not take %s for a date', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds user names, masked and partial SSNs, plan and device numbers', () => {
    it.each([
      ['k.tran_88', 'Portal username: k.tran_88', 'ID'],
      ['grandma_rose', 'Her MyChart user name is grandma_rose.', 'ID'],
      ['jdoe87', 'portal account jdoe87 reset.', 'ID'],
      ['@mlopez', 'Message from @mlopez about refills.', 'ID'],
      ['XK4T9Q', 'Confirmation code: XK4T9Q', 'ID'],
      ['1102', 'SSN ending 1102 on file.', 'SSN'],
      ['4471', 'Last 4 of SSN: 4471', 'SSN'],
      ['5521', 'last four of her social 5521', 'SSN'],
      ['***-**-1102', 'SSN ***-**-1102', 'SSN'],
      ['xxx-xx-1102', 'SSN: xxx-xx-1102', 'SSN'],
      ['79066', 'Aetna group 79066, member ID W123456789.', 'HEALTH_PLAN'],
      ['4471', 'Grp #: 4471', 'HEALTH_PLAN'],
      ['H4401-012', 'Plan code H4401-012', 'HEALTH_PLAN'],
      ['Y05746834 04', 'Member ID Y05746834 04', 'HEALTH_PLAN'],
      ['610014', 'Rx BIN 610014', 'HEALTH_PLAN'],
      ['MEDDPRIME', 'PCN: MEDDPRIME', 'HEALTH_PLAN'],
      ['HJK 4421', 'Ohio plate HJK 4421 noted.', 'VEHICLE'],
      ['ABC-1234', 'Car tag ABC-1234 in lot B.', 'VEHICLE'],
      ['1HG CM826 33A004352', 'VIN 1HG CM826 33A004352', 'VEHICLE'],
      ['PJN123456H', 'Pacemaker SN PJN123456H interrogated.', 'DEVICE'],
      ['8G4X2K', 'Dexcom transmitter ID 8G4X2K', 'DEVICE'],
      ['+H123PROD1234/$$3123456L', 'UDI +H123PROD1234/$$3123456L', 'DEVICE'],
      ['(01) 00884838028765 (17) 250630 (21) 7734221', 'Label (01) 00884838028765 (17) 250630 (21) 7734221.', 'DEVICE'],
      ['4 8 2 9 1 5 3 7', 'MRN: 4 8 2 9 1 5 3 7', 'MRN'],
      ['004 829 15', 'MRN 004 829 15', 'MRN'],
    ] as const)('finds %s', (value, text, type) => {
      expectExact(text, value, type);
    });

    it.each([
      ['"login issues"', 'Login issues resolved.', 'issues'],
      ['a handle-like "at"', 'Take tylenol @bedtime and rest @home.', '@home'],
      ['an age group', 'Age group 65-74 at higher risk.', '65-74'],
      ['a nephrostomy tube', 'PCN tube exchanged by IR.', 'tube'],
      ['a skin tag', 'Skin tag removed from the neck.', 'removed'],
      ['serial troponins', 'Serial troponins negative x3.', 'troponins'],
      ['bold stars around a word', 'Note: **urgent** review.', 'urgent'],
      ['a dose after a member-like code', 'Take A1234567 10 mg daily.', '10'],
    ])('does not take %s for an identifier', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds ages over 89 in words, decades and summaries', () => {
    it.each([
      ['ninety-four', 'A ninety-four yo woman.'],
      ['ninety two', 'A ninety two y/o man.'],
      ['90s', 'She is in her 90s and lives alone.'],
      ['nineties', 'Elderly man in his early nineties.'],
      ['92', 'F/92 with dementia.'],
      ['93', '93/M presents with a fall.'],
      ['97th', 'Celebrated her 97th birthday.'],
      ['96', 'Pt is 96 and independent.'],
      ['nonagenarian', 'A frail nonagenarian.'],
    ])('finds %s', (age, text) => {
      expectExact(text, age, 'AGE');
    });

    it.each([
      ['systolic pressures in the 90s', 'Systolic in the 90s overnight.', '90s'],
      ['saturations in the 90s', 'Sats in the low 90s.', '90s'],
      ['an oxygen saturation', 'Pt is 94% on room air.', '94'],
      ['a weight', 'Patient is 95 kg.', '95'],
      ['a fiftieth birthday', 'Her 50th birthday party.', '50th'],
    ])('does not report %s', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds professions after a cue', () => {
    it.each([
      ['truck driver', 'A truck driver by trade, he now works part time.'],
      ['retired dental hygienist', 'She is a retired dental hygienist who lives alone.'],
      ['school teacher', 'Works for the county as a school teacher.'],
      ['home health aide', 'Job: home health aide'],
      ['bank teller', 'He is a bank teller.'],
      ['forklift operator', 'Employed as a forklift operator.'],
    ])('finds %s', (job, text) => {
      expectExact(text, job, 'PROFESSION');
    });

    it.each([
      ['"works as needed"', 'He works as needed in the family business.', 'needed'],
      ['a smoker', 'He is a former smoker.', 'smoker'],
      ['a historian', 'Patient is a poor historian.', 'historian'],
      ['no occupation', 'Occupation: none.', 'none'],
    ])('does not take %s for a profession', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('finds spaced plates, ages at death and in answers, last fours and portal handles', () => {
    it.each([
      ['142 ZFQ', 'Car in the garage, plate 142 ZFQ.', 'VEHICLE'],
      ['NXD 457', 'Scooter plate HI NXD 457 noted by security.', 'VEHICLE'],
      ['RWK 318', 'Parked outside, tag OK RWK 318.', 'VEHICLE'],
      ['GML 2290', 'Family drove, license plate TX GML 2290.', 'VEHICLE'],
      ['97', 'Her mother died at 97 in her sleep.', 'AGE'],
      ['94', 'Father passed at 94 of a stroke.', 'AGE'],
      ['91', 'Sister passed away at 91 of CHF.', 'AGE'],
      ['ninety-six', 'Grandfather died at ninety-six.', 'AGE'],
      ['98', 'DR: And how old are you now?\nPT: 98, and still gardening.', 'AGE'],
      ['one hundred three', 'Doctor: How old are you?\nPatient: Oh, one hundred three, believe it or not.', 'AGE'],
      ['a hundred and seventeen', 'Q: How old is she? A: a hundred and seventeen.', 'AGE'],
      ['3381', 'Verified last four of SSN (3381) with the caller.', 'SSN'],
      ['2058', 'Confirmed last 4 of her social (2058).', 'SSN'],
      ['6620', 'Copay charged to card ending 6620.', 'ACCOUNT'],
      ['7713', 'Refund to the Visa ending in 7713.', 'ACCOUNT'],
      ['0042', 'Autopay from account ending 0042.', 'ACCOUNT'],
      ['****8812', 'Card on file ****8812 declined.', 'ACCOUNT'],
      ['XXXX-XXXX-XXXX-4410', 'Card XXXX-XXXX-XXXX-4410 updated.', 'ACCOUNT'],
      ['rpatel52', 'From: rpatel52 (patient portal)\nSubject: refill', 'ID'],
      ['kowens', 'From: kowens (MyChart message)\nNeeds a refill.', 'ID'],
      ['tnguyen81', 'Audit: user tnguyen81 viewed the chart.', 'ID'],
      ['b.osei', 'User: b.osei', 'ID'],
    ] as const)('finds %s', (value, text, type) => {
      expectExact(text, value, type);
    });

    it.each([
      ['a date after "From:"', 'From: 3/2/2026 to 3/9/2026 on leave.', 'From:'],
      ['a department after "From:"', 'From: clinic\nRe: your visit', 'clinic'],
      ['an e-mail sender as a handle', 'From: jsmith@example.org', 'From:'],
      ['a user who reports', 'The user reports the app crashed.', 'reports'],
      ['a substance user', 'IV drug user of heroin since 2010.', 'heroin'],
      ['a platelet count', 'Platelets 142 today, plate count stable.', 'Platelets 142'],
      ['the word count', 'Platelets 142 today, plate count stable.', 'count'],
      ['a removed tag', 'Skin tag removed.', 'removed'],
      ['an orthopedic plate', 'Volar plate 7 hole, 3.5 mm screws.', '7 hole'],
      ['a death at home', 'Father died at home.', 'home'],
      ['a time of death', 'Patient passed at 10:30 with family present.', '10:30'],
      ['a death under 90', 'Mother died at 67 of MI.', '67'],
      ['an answer under 90', 'How old are you?\nPT: 67, last month.', '67'],
      ['a non-age answer', 'How old is the wound?\nPT: 100 days maybe.', '100'],
      ['a card ending soon', 'Her insurance card ending soon; renew.', 'soon'],
    ])('does not report %s', (_case, text, value) => {
      expectNotFound(text, value);
    });
  });

  describe('keeps its output well formed', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 400 });

    it('never throws and returns sorted, non-overlapping, trimmed spans inside the text', () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const spans = detector.detectSync(text);
          let previousEnd = 0;
          for (const span of spans) {
            expect(span.begin).toBeGreaterThanOrEqual(previousEnd);
            expect(span.begin).toBeLessThan(span.end);
            expect(span.end).toBeLessThanOrEqual(text.length);
            expect(text.slice(span.begin, span.end)).toBe(text.slice(span.begin, span.end).trim());
            previousEnd = span.end;
          }
        }),
        { numRuns: 300 },
      );
    });

    const fillerWord = fc.constantFrom(
      'patient',
      'reports',
      'chest',
      'pain',
      'Denies',
      'fever',
      'metformin',
      'BP',
      'the',
      'and',
      'Plan:',
      'follow',
      'up',
      'Mary',
      'Brown',
      'clinic',
      '-',
      '.',
      ',',
      '\n',
    );
    const filler = fc.array(fillerWord, { maxLength: 40 }).map((words) => words.join(' '));
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
    const planted = fc.oneof(
      fc.tuple(digits(3), digits(2), digits(4)).map(([a, b, c]) => ({ value: `${a}-${b}-${c}`, type: 'SSN' })),
      fc
        .tuple(fc.integer({ min: 200, max: 999 }), digits(3), digits(4))
        .map(([a, b, c]) => ({ value: `(${a}) ${b}-${c}`, type: 'PHONE' })),
      fc
        .tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,11}[a-z0-9]$/), fc.stringMatching(/^[a-z]{2,12}$/))
        .map(([user, host]) => ({ value: `${user}@${host}.com`, type: 'EMAIL' })),
      fc
        .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1900, max: 2099 }))
        .map(([m, d, y]) => ({
          value: `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`,
          type: 'DATE',
        })),
    );

    it('always finds an identifier planted in random filler, covering all of it', () => {
      fc.assert(
        fc.property(filler, planted, filler, (before, { value }, after) => {
          const text = `${before} ${value} ${after}`;
          const begin = before.length + 1;
          const covered = detector
            .detectSync(text)
            .some((span) => span.begin <= begin && span.end >= begin + value.length);
          expect(covered, text).toBe(true);
        }),
        { numRuns: 400 },
      );
    });

    it('completes on a one-megabyte note', () => {
      const visit = [
        'PATIENT: HARTWELL, EUGENIA M   MRN: 00482915   DOB: 04/17/1931',
        'Mrs. Hartwell is a 92-year-old woman seen by Dr. Lucille Okafor on March 2nd at Mercy Medical Center.',
        'She lives at 48 Willow Creek Lane, Springfield, IL 62704. Phone (217) 555-0143, fax 217-555-0198.',
        'BP 162/94, HR 112, Na 131, K 5.2, Cr 2.1. Continue Lasix 40 mg IV BID and Eliquis 5 mg BID.',
        'Assessment: acute on chronic systolic heart failure, atrial fibrillation. ICD-10 I50.23, CPT 99223.',
        '',
      ].join('\n');
      const note = visit.repeat(Math.ceil(1_048_576 / visit.length));
      const spans = detector.detectSync(note);
      expect(note.length).toBeGreaterThanOrEqual(1_048_576);
      expect(spans.length).toBeGreaterThan(10 * Math.floor(note.length / visit.length));
      expect(spans.at(-1)?.end).toBeLessThanOrEqual(note.length);
    });

    it.each([
      ['a long run of digits', '7'.repeat(200_000)],
      ['a long word', 'a'.repeat(200_000)],
      ['repeated at signs', '@.'.repeat(100_000)],
      ['repeated colons', 'ab:'.repeat(100_000)],
      ['repeated capitalised names', 'Mary Ann '.repeat(20_000)],
      ['emoji and lone surrogates', `😀\uD800 Dr. Zoë 😀 \uDFFF`.repeat(10_000)],
    ])('returns on %s', (_case, text) => {
      expect(() => detector.detectSync(text)).not.toThrow();
    });
  });
});
