/** Hand-written name, place and occupation lists for synthetic patients, relatives, clinicians and practices. */

// Deliberately diverse, and including names that are also English words or months (Hope, Will, April, June),
// and surnames that collide with clinical words (Payne, Bell, Foley, Jones, Brown), so a detector cannot lean on
// capitalisation or a dictionary of common names alone.
// biome-ignore format: a word list reads better packed than one entry per line
export const FEMALE_FIRST_NAMES = [
  'Maria', 'Jennifer', 'Linda', 'Patricia', 'Elizabeth', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Lisa', 'Nancy',
  'Betty', 'Sandra', 'Margaret', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle', 'Carol', 'Amanda', 'Melissa',
  'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia', 'Dorothy', 'Amy', 'Kathleen', 'Angela', 'Shirley',
  'Brenda', 'Emma', 'Anna', 'Pamela', 'Nicole', 'Samantha', 'Katherine', 'Christine', 'Rachel', 'Carolyn', 'Janet',
  'Catherine', 'Heather', 'Diane', 'Ruth', 'Julie', 'Olivia', 'Joyce', 'Virginia', 'Victoria', 'Kelly', 'Lauren',
  'Christina', 'Joan', 'Evelyn', 'Judith', 'Megan', 'Andrea', 'Cheryl', 'Hannah', 'Jacqueline', 'Martha', 'Gloria',
  'Teresa', 'Madison', 'Frances', 'Kathryn', 'Janice', 'Jean', 'Abigail', 'Alice', 'Judy', 'Sophia', 'Grace',
  'Denise', 'Amber', 'Doris', 'Marilyn', 'Danielle', 'Beverly', 'Isabella', 'Theresa', 'Diana', 'Natalie',
  'Brittany', 'Charlotte', 'Marie', 'Kayla', 'Alexis', 'Lori', 'Guadalupe', 'Lucia', 'Ximena', 'Rosa', 'Carmen',
  'Alejandra', 'Yesenia', 'Marisol', 'Graciela', 'Esperanza', 'Itzel', 'Xiomara', 'Dolores', 'Juana', 'Mei',
  'Xiaoling', 'Yuki', 'Haruka', 'Ji-woo', 'Seo-yeon', 'Priya', 'Ananya', 'Lakshmi', 'Deepa', 'Thuy', 'Linh', 'Ngoc',
  'Mai', 'Hoa', 'Aiko', 'Min-ji', 'Jing', 'Farah', 'Aisha', 'Fatima', 'Amina', 'Ngozi', 'Chiamaka', 'Abena', 'Nia',
  'Zainab', 'Imani', 'Layla', 'Yasmin', 'Noor', 'Mariam', 'Shanice', 'Keisha', 'Latoya', 'Tanisha', 'Ebony', 'Olga',
  'Svetlana', 'Ingrid', 'Astrid', 'Siobhan', 'Aoife', 'Renée', 'Zoë', 'Chloé', 'Ewa', 'Agnieszka', 'Katarzyna',
  'Leilani', 'Kalani', 'Winona', 'Tallulah', 'Dakota', 'April', 'June', 'May', 'Hope', 'Rose', 'Faith', 'Dawn',
  'Summer', 'Joy', 'Iris', 'Ivy', 'Ruby', 'Pearl', 'Crystal', 'Destiny', 'Autumn', 'Holly', 'Mercy',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const MALE_FIRST_NAMES = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles', 'Christopher',
  'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kenneth', 'Kevin',
  'Brian', 'George', 'Timothy', 'Ronald', 'Edward', 'Jason', 'Jeffrey', 'Ryan', 'Jacob', 'Gary', 'Nicholas', 'Eric',
  'Jonathan', 'Stephen', 'Larry', 'Justin', 'Scott', 'Brandon', 'Benjamin', 'Samuel', 'Gregory', 'Alexander',
  'Frank', 'Patrick', 'Raymond', 'Jack', 'Dennis', 'Jerry', 'Tyler', 'Aaron', 'Henry', 'Douglas', 'Peter', 'Walter',
  'Harold', 'Kyle', 'Carl', 'Arthur', 'Gerald', 'Roger', 'Keith', 'Lawrence', 'Terry', 'Albert', 'Willie', 'Eugene',
  'Ralph', 'Bobby', 'Russell', 'Louis', 'Philip', 'Johnny', 'Earl', 'Clarence', 'Elmer', 'Floyd', 'Herbert',
  'Wilbur', 'Otis', 'Will', 'Bill', 'Art', 'José', 'Juan', 'Luis', 'Carlos', 'Jesús', 'Miguel', 'Alejandro',
  'Francisco', 'Javier', 'Eduardo', 'Rafael', 'Héctor', 'Joaquín', 'Santiago', 'Mateo', 'Diego', 'Ignacio', 'Ramón',
  'Wei', 'Jun', 'Hiroshi', 'Kenji', 'Takeshi', 'Min-jun', 'Jae-hyun', 'Raj', 'Arjun', 'Vikram', 'Sanjay', 'Rohan',
  'Minh', 'Quang', 'Tuan', 'Bao', 'Hao', 'Ravi', 'Kwame', 'Chinedu', 'Oluwaseun', 'Emeka', 'Tunde', 'Kofi', 'Jamal',
  'DeShawn', 'Tyrone', 'Malik', 'Darnell', 'Andre', 'Terrell', 'Omar', 'Ahmed', 'Mohammed', 'Yusuf', 'Hassan',
  'Karim', 'Tariq', 'Dmitri', 'Sergei', 'Ivan', 'Piotr', 'Wojciech', 'Lars', 'Søren', 'Björn', 'Liam', 'Seamus',
  'Declan', 'Niall', 'Kai', 'Keanu', 'Koa', 'Ezekiel', 'Zebulon', 'Cornelius', 'Thaddeus', 'Ignatius', 'Hunter',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee',
  'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young',
  'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker',
  'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz',
  'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers',
  'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox',
  'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell',
  'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes', 'Fisher', 'Vasquez',
  'Simmons', 'Romero', 'Jordan', 'Patterson', 'Hamilton', 'Graham', 'Reynolds', 'Griffin', 'Wallace', 'Moreno',
  'West', 'Cole', 'Hayes', 'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina', 'Aguilar', 'Stevens', 'Murray',
  'Ford', 'Castro', 'Marshall', 'Owens', 'Harrison', 'Fernandez', 'McDonald', 'Woods', 'Washington', 'Kennedy',
  'Wells', 'Vargas', 'Chen', 'Freeman', 'Webb', 'Tucker', 'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson',
  'Porter', 'Gordon', 'Mendez', 'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Munoz', 'Hicks', 'Holmes', 'Palmer',
  'Wagner', 'Black', 'Robertson', 'Boyd', 'Stone', 'Salazar', 'Fox', 'Warren', 'Mills', 'Meyer', 'Rice', 'Schmidt',
  'Garza', 'Daniels', 'Ferguson', 'Nichols', 'Soto', 'Weaver', 'Gardner', 'Payne', 'Grant', 'Dunn', 'Foley', 'Banks',
  'Love', 'Glass', 'Moss', 'Frost', 'Sharp', 'Strong', 'Small', "O'Brien", "O'Connor", 'McAllister', 'MacLeod',
  'Nuñez', 'Peña', 'Ibáñez', 'De La Cruz', 'Garcia-Lopez', 'van der Berg', 'Okafor', 'Adeyemi', 'Nwosu', 'Mensah',
  'Boateng', 'Okonkwo', 'Haile', 'Tesfaye', 'Abdi', 'Mohamud', 'Hussein', 'Haddad', 'Khoury', 'Nasser', 'Al-Sayed',
  'Rahman', 'Chowdhury', 'Begum', 'Iyer', 'Reddy', 'Venkataraman', 'Subramanian', 'Sharma', 'Gupta', 'Banerjee',
  'Desai', 'Mehta', 'Shah', 'Nakamura', 'Tanaka', 'Watanabe', 'Yamamoto', 'Sato', 'Suzuki', 'Park', 'Choi', 'Jung',
  'Kang', 'Cho', 'Yoon', 'Lim', 'Wang', 'Zhang', 'Liu', 'Huang', 'Zhao', 'Wu', 'Xu', 'Lin', 'Pham', 'Le', 'Vu',
  'Dang', 'Bui', 'Hoang', 'Kowalski', 'Nowak', 'Wiśniewski', 'Lewandowski', 'Novak', 'Horvath', 'Kovács', 'Petrov',
  'Ivanova', 'Smirnov', 'Volkov', 'Popescu', 'Müller', 'Schneider', 'Fischer', 'Becker', 'Hoffmann', 'Rossi',
  'Russo', 'Esposito', 'Bianchi', 'Romano', 'Costa', 'Ferreira', 'Santos', 'Oliveira', 'Pereira', 'Andersson',
  'Johansson', 'Larsen', 'Nielsen', 'Hansen', 'Jensen', 'Kaur', 'Singh', 'Grewal', 'Yazzie', 'Begay', 'Tsosie',
  'Kealoha', 'Kahananui', 'Cohen', 'Levy', 'Goldberg', 'Friedman', 'Katz', 'Schwartz', 'Papadopoulos', 'Georgiou',
  'Kaya', 'Yilmaz', 'Demir',
] as const;

export interface Place {
  readonly city: string;
  /** As written locally: "Sangamon County", "Caddo Parish", "Fairbanks North Star Borough". */
  readonly county: string;
  readonly state: string;
  readonly stateName: string;
  /** First three digits of the ZIP codes used for this city. */
  readonly zip3: string;
  readonly areaCodes: readonly string[];
}

const place = (
  city: string,
  county: string,
  state: string,
  stateName: string,
  zip3: string,
  areaCodes: string[],
): Place => ({ city, county, state, stateName, zip3, areaCodes });

// Some cities share a name with a person (Tyler, Eugene, Lincoln, Madison) or with a state-sized word (Utah County).
export const PLACES: readonly Place[] = [
  place('Springfield', 'Sangamon County', 'IL', 'Illinois', '627', ['217']),
  place('Peoria', 'Peoria County', 'IL', 'Illinois', '616', ['309']),
  place('Rockford', 'Winnebago County', 'IL', 'Illinois', '611', ['815', '779']),
  place('Naperville', 'DuPage County', 'IL', 'Illinois', '605', ['630', '331']),
  place('Evanston', 'Cook County', 'IL', 'Illinois', '602', ['847', '224']),
  place('Madison', 'Dane County', 'WI', 'Wisconsin', '537', ['608']),
  place('Green Bay', 'Brown County', 'WI', 'Wisconsin', '543', ['920']),
  place('Eau Claire', 'Eau Claire County', 'WI', 'Wisconsin', '547', ['715']),
  place('Ann Arbor', 'Washtenaw County', 'MI', 'Michigan', '481', ['734']),
  place('Kalamazoo', 'Kalamazoo County', 'MI', 'Michigan', '490', ['269']),
  place('Flint', 'Genesee County', 'MI', 'Michigan', '485', ['810']),
  place('Toledo', 'Lucas County', 'OH', 'Ohio', '436', ['419', '567']),
  place('Dayton', 'Montgomery County', 'OH', 'Ohio', '454', ['937']),
  place('Akron', 'Summit County', 'OH', 'Ohio', '443', ['330', '234']),
  place('Lexington', 'Fayette County', 'KY', 'Kentucky', '405', ['859']),
  place('Bowling Green', 'Warren County', 'KY', 'Kentucky', '421', ['270']),
  place('Knoxville', 'Knox County', 'TN', 'Tennessee', '379', ['865']),
  place('Chattanooga', 'Hamilton County', 'TN', 'Tennessee', '374', ['423']),
  place('Asheville', 'Buncombe County', 'NC', 'North Carolina', '288', ['828']),
  place('Durham', 'Durham County', 'NC', 'North Carolina', '277', ['919', '984']),
  place('Greenville', 'Pitt County', 'NC', 'North Carolina', '278', ['252']),
  place('Charleston', 'Charleston County', 'SC', 'South Carolina', '294', ['843']),
  place('Savannah', 'Chatham County', 'GA', 'Georgia', '314', ['912']),
  place('Macon', 'Bibb County', 'GA', 'Georgia', '312', ['478']),
  place('Tallahassee', 'Leon County', 'FL', 'Florida', '323', ['850']),
  place('Gainesville', 'Alachua County', 'FL', 'Florida', '326', ['352']),
  place('Ocala', 'Marion County', 'FL', 'Florida', '344', ['352']),
  place('Mobile', 'Mobile County', 'AL', 'Alabama', '366', ['251']),
  place('Huntsville', 'Madison County', 'AL', 'Alabama', '358', ['256']),
  place('Jackson', 'Hinds County', 'MS', 'Mississippi', '392', ['601', '769']),
  place('Baton Rouge', 'East Baton Rouge Parish', 'LA', 'Louisiana', '708', ['225']),
  place('Lafayette', 'Lafayette Parish', 'LA', 'Louisiana', '705', ['337']),
  place('Shreveport', 'Caddo Parish', 'LA', 'Louisiana', '711', ['318']),
  place('Little Rock', 'Pulaski County', 'AR', 'Arkansas', '722', ['501']),
  place('Tulsa', 'Tulsa County', 'OK', 'Oklahoma', '741', ['918']),
  place('Norman', 'Cleveland County', 'OK', 'Oklahoma', '730', ['405']),
  place('Amarillo', 'Potter County', 'TX', 'Texas', '791', ['806']),
  place('Lubbock', 'Lubbock County', 'TX', 'Texas', '794', ['806']),
  place('El Paso', 'El Paso County', 'TX', 'Texas', '799', ['915']),
  place('Laredo', 'Webb County', 'TX', 'Texas', '780', ['956']),
  place('McAllen', 'Hidalgo County', 'TX', 'Texas', '785', ['956']),
  place('Waco', 'McLennan County', 'TX', 'Texas', '767', ['254']),
  place('Tyler', 'Smith County', 'TX', 'Texas', '757', ['903', '430']),
  place('Albuquerque', 'Bernalillo County', 'NM', 'New Mexico', '871', ['505']),
  place('Las Cruces', 'Doña Ana County', 'NM', 'New Mexico', '880', ['575']),
  place('Gallup', 'McKinley County', 'NM', 'New Mexico', '873', ['505']),
  place('Flagstaff', 'Coconino County', 'AZ', 'Arizona', '860', ['928']),
  place('Tucson', 'Pima County', 'AZ', 'Arizona', '857', ['520']),
  place('Chinle', 'Apache County', 'AZ', 'Arizona', '865', ['928']),
  place('Provo', 'Utah County', 'UT', 'Utah', '846', ['801', '385']),
  place('Boise', 'Ada County', 'ID', 'Idaho', '837', ['208', '986']),
  place('Spokane', 'Spokane County', 'WA', 'Washington', '992', ['509']),
  place('Tacoma', 'Pierce County', 'WA', 'Washington', '984', ['253']),
  place('Eugene', 'Lane County', 'OR', 'Oregon', '974', ['541', '458']),
  place('Salem', 'Marion County', 'OR', 'Oregon', '973', ['503', '971']),
  place('Fresno', 'Fresno County', 'CA', 'California', '937', ['559']),
  place('Bakersfield', 'Kern County', 'CA', 'California', '933', ['661']),
  place('Stockton', 'San Joaquin County', 'CA', 'California', '952', ['209']),
  place('Santa Rosa', 'Sonoma County', 'CA', 'California', '954', ['707']),
  place('Chula Vista', 'San Diego County', 'CA', 'California', '919', ['619']),
  place('Reno', 'Washoe County', 'NV', 'Nevada', '895', ['775']),
  place('Billings', 'Yellowstone County', 'MT', 'Montana', '591', ['406']),
  place('Fargo', 'Cass County', 'ND', 'North Dakota', '581', ['701']),
  place('Sioux Falls', 'Minnehaha County', 'SD', 'South Dakota', '571', ['605']),
  place('Rapid City', 'Pennington County', 'SD', 'South Dakota', '577', ['605']),
  place('Duluth', 'St. Louis County', 'MN', 'Minnesota', '558', ['218']),
  place('Rochester', 'Olmsted County', 'MN', 'Minnesota', '559', ['507']),
  place('Cedar Rapids', 'Linn County', 'IA', 'Iowa', '524', ['319']),
  place('Des Moines', 'Polk County', 'IA', 'Iowa', '503', ['515']),
  place('Lincoln', 'Lancaster County', 'NE', 'Nebraska', '685', ['402', '531']),
  place('Wichita', 'Sedgwick County', 'KS', 'Kansas', '672', ['316']),
  place('Columbia', 'Boone County', 'MO', 'Missouri', '652', ['573']),
  place('Springfield', 'Greene County', 'MO', 'Missouri', '658', ['417']),
  place('Erie', 'Erie County', 'PA', 'Pennsylvania', '165', ['814']),
  place('Scranton', 'Lackawanna County', 'PA', 'Pennsylvania', '185', ['570']),
  place('Allentown', 'Lehigh County', 'PA', 'Pennsylvania', '181', ['610', '484']),
  place('Trenton', 'Mercer County', 'NJ', 'New Jersey', '086', ['609']),
  place('Paterson', 'Passaic County', 'NJ', 'New Jersey', '075', ['973', '862']),
  place('Yonkers', 'Westchester County', 'NY', 'New York', '107', ['914']),
  place('Syracuse', 'Onondaga County', 'NY', 'New York', '132', ['315', '680']),
  place('Buffalo', 'Erie County', 'NY', 'New York', '142', ['716']),
  place('Hartford', 'Hartford County', 'CT', 'Connecticut', '061', ['860', '959']),
  place('Worcester', 'Worcester County', 'MA', 'Massachusetts', '016', ['508', '774']),
  place('Lowell', 'Middlesex County', 'MA', 'Massachusetts', '018', ['978', '351']),
  place('Providence', 'Providence County', 'RI', 'Rhode Island', '029', ['401']),
  place('Burlington', 'Chittenden County', 'VT', 'Vermont', '054', ['802']),
  place('Portland', 'Cumberland County', 'ME', 'Maine', '041', ['207']),
  place('Manchester', 'Hillsborough County', 'NH', 'New Hampshire', '031', ['603']),
  place('Wilmington', 'New Castle County', 'DE', 'Delaware', '198', ['302']),
  place('Frederick', 'Frederick County', 'MD', 'Maryland', '217', ['301', '240']),
  place('Roanoke', 'Roanoke County', 'VA', 'Virginia', '240', ['540']),
  place('Honolulu', 'Honolulu County', 'HI', 'Hawaii', '968', ['808']),
  place('Hilo', 'Hawaii County', 'HI', 'Hawaii', '967', ['808']),
  place('Fairbanks', 'Fairbanks North Star Borough', 'AK', 'Alaska', '997', ['907']),
  place('Cheyenne', 'Laramie County', 'WY', 'Wyoming', '820', ['307']),
  place('Pueblo', 'Pueblo County', 'CO', 'Colorado', '810', ['719']),
  place('Fort Collins', 'Larimer County', 'CO', 'Colorado', '805', ['970']),
];

// biome-ignore format: a word list reads better packed than one entry per line
export const STREET_NAMES = [
  'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Washington', 'Lincoln', 'Jefferson', 'Main', 'Park', 'Lake', 'Hill',
  'Sunset', 'Highland', 'Ridge', 'Church', 'Mill', 'Spring', 'River', 'Willow', 'Chestnut', 'Walnut', 'Hickory',
  'Dogwood', 'Magnolia', 'Sycamore', 'Birch', 'Aspen', 'Juniper', 'Cottonwood', 'Mesquite', 'Saguaro', 'Bluebonnet',
  'Prairie', 'Meadow', 'Orchard', 'Harvest', 'Liberty', 'Independence', 'Franklin', 'Madison', 'Monroe', 'Jackson',
  'Grant', 'Kennedy', 'Martin Luther King Jr', 'César Chávez', 'Kamehameha', 'Peachtree', 'Bayou', 'Canal', 'Harbor',
  'Ocean', 'Shoreline', 'College', 'University', 'Market', 'Commerce', 'Railroad', 'Depot', 'Mission', 'El Camino',
  'Camino del Sol', 'Via Verde', 'Calle Luna', 'Rio Grande', 'Old Mill', 'Fox Run', 'Deer Creek', 'Quail Hollow',
  'Eagle Crest', 'Stonebridge', 'Windsor', 'Kensington', 'Hampton', 'Brookside', 'Fairview', 'Greenwood', 'Lakeview',
  'Riverside', 'Westgate', 'Northgate', '3rd', '5th', '12th', '21st', '42nd', '101st', 'County Road 14',
  'Farm to Market 1960', 'State Route 9',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const STREET_SUFFIXES = [
  'St', 'Street', 'St.', 'Ave', 'Avenue', 'Ave.', 'Rd', 'Road', 'Dr', 'Drive', 'Ln', 'Lane', 'Blvd', 'Boulevard',
  'Ct', 'Court', 'Way', 'Pl', 'Place', 'Cir', 'Circle', 'Terrace', 'Pkwy', 'Trail',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const STREET_DIRECTIONS = [
  'N', 'S', 'E', 'W', 'N.', 'W.', 'North', 'South', 'East', 'West', 'NE', 'SW',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const FACILITY_STEMS = [
  'Riverside', 'Lakeview', 'Prairie View', 'Blue Ridge', 'Cedar Valley', 'Northside', 'Harbor Point', 'Sunrise',
  'Mountain View', 'Pinecrest', 'Oak Hollow', 'Willow Creek', 'Three Rivers', 'Desert Sky', 'Heartland', 'Evergreen',
  'Summit', 'Crossroads', 'Tri-County', 'Bluebonnet', 'Red Rock', 'Golden Plains', 'Silver Lake', 'Eastside',
  'Pleasant Valley', 'Stone Creek', 'Magnolia', 'Bay Area', 'High Desert', 'Great Lakes',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const SAINTLY_HOSPITAL_NAMES = [
  "St. Mary's", "St. Joseph's", "St. Luke's", 'St. Vincent', 'St. Francis', 'Good Samaritan', 'Mercy', 'Providence',
  'Sacred Heart', 'Holy Cross', 'Our Lady of Lourdes', 'Baptist', 'Methodist', 'Presbyterian', "Saint Anne's",
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const HOSPITAL_KINDS = [
  'Hospital', 'Medical Center', 'Regional Medical Center', 'Memorial Hospital', 'Community Hospital',
  'General Hospital', 'Health System', 'Heart Hospital',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const CLINIC_KINDS = [
  'Family Medicine', 'Family Practice', 'Internal Medicine Associates', 'Primary Care', 'Cardiology Group',
  'Orthopedic & Spine Center', "Women's Health", 'Dialysis Center', 'Urgent Care', 'Community Health Center',
  'Pulmonary & Sleep Clinic', 'Endocrinology Associates', 'Behavioral Health', 'Gastroenterology',
  'Wound Care Center',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const RESIDENTIAL_FACILITY_KINDS = [
  'Nursing & Rehabilitation', 'Senior Living', 'Manor', 'Assisted Living', 'Skilled Nursing Facility',
  'Hospice House',
] as const;

export const PHARMACY_KINDS = ['Pharmacy', 'Drug', 'Apothecary', 'Family Pharmacy'] as const;

export const LAB_KINDS = ['Reference Laboratory', 'Clinical Laboratories', 'Pathology Associates', 'Imaging'] as const;

/** Occupations as a social history would record them (the PROFESSION span is the occupation itself). */
// biome-ignore format: a word list reads better packed than one entry per line
export const PROFESSIONS = [
  'welder', 'firefighter', 'kindergarten teacher', 'long-haul truck driver', 'electrician', 'plumber',
  'dairy farmer', 'software engineer', 'accountant', 'hairdresser', 'line cook', 'police officer',
  'corrections officer', 'janitor', 'construction worker', 'roofer', 'coal miner', 'cashier', 'bank teller',
  'pastor', 'librarian', 'veterinarian', 'dental hygienist', 'airline pilot', 'flight attendant', 'mail carrier',
  'machinist', 'auto mechanic', 'landscaper', 'housekeeper', 'home health aide', 'history professor', 'attorney',
  'paralegal', 'real estate agent', 'rideshare driver', 'warehouse worker', 'forklift operator',
  'commercial fisherman', 'rancher', 'chef', 'barista', 'graphic designer', 'social worker', 'pharmacist', 'lineman',
  'carpenter', 'daycare worker', 'nail technician', 'school bus driver', 'oil rig worker', 'poultry plant worker',
  'court interpreter', 'crossing guard', 'sheet metal worker', 'housepainter',
] as const;

export const RELATIONS_FEMALE = ['wife', 'daughter', 'mother', 'sister', 'granddaughter', 'niece', 'aunt'] as const;
export const RELATIONS_MALE = ['husband', 'son', 'father', 'brother', 'grandson', 'nephew', 'uncle'] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const EMAIL_DOMAINS = [
  'gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'aol.com', 'icloud.com', 'comcast.net', 'att.net',
  'protonmail.com', 'msn.com', 'sbcglobal.net', 'live.com',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const VEHICLES = [
  '2014 Ford F-150', '2018 Honda Civic', '2011 Toyota Camry', '2020 Chevrolet Silverado', '2016 Nissan Altima',
  '2009 Jeep Wrangler', '2022 Tesla Model 3', '2015 Subaru Outback', '2013 Ram 1500', '2019 Hyundai Elantra',
  '2007 Buick LeSabre', '2021 Kia Sorento', '2012 Chrysler Town & Country', '2017 GMC Sierra', '2010 Honda Odyssey',
] as const;

// biome-ignore format: a word list reads better packed than one entry per line
export const HEALTH_PLANS = [
  'Blue Cross Blue Shield', 'Aetna', 'UnitedHealthcare', 'Cigna', 'Humana', 'Medicare', 'Medicaid', 'Anthem',
  'Molina Healthcare', 'Ambetter', 'Tricare', 'WellCare', 'Highmark', 'Medicare Advantage (Humana)',
] as const;
