/** Word lists for generated records. Invented, diverse, and free of real people's data. */

export const FIRST_NAMES = [
  'Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances',
  'Tim', 'Radia', 'Guido', 'Hedy', 'Donald', 'Shafi', 'Edsger', 'Sophie', 'John', 'Annie',
  'Yukihiro', 'Anita', 'Bjarne', 'Jean', 'Niklaus', 'Karen', 'Leslie', 'Evelyn', 'Vint', 'Mary',
  'Satoshi', 'Priya', 'Mateusz', 'Olena', 'Kwame', 'Amara', 'Diego', 'Lucia', 'Hiroshi', 'Mei',
  'Arjun', 'Fatima', 'Lars', 'Ingrid', 'Tomasz', 'Zofia', 'Chidi', 'Ngozi', 'Rafael', 'Camila',
  'Omar', 'Leila', 'Sven', 'Astrid', 'Dmitri', 'Nadia', 'Kenji', 'Yuna', 'Samuel', 'Esther',
] as const;

export const LAST_NAMES = [
  'Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen',
  'Berners', 'Perlman', 'Rossum', 'Lamarr', 'Knuth', 'Goldwasser', 'Dijkstra', 'Wilson', 'McCarthy', 'Easley',
  'Matsumoto', 'Borg', 'Stroustrup', 'Sammet', 'Wirth', 'Jones', 'Lamport', 'Berezin', 'Cerf', 'Keller',
  'Nakamura', 'Sharma', 'Kowalski', 'Shevchenko', 'Mensah', 'Okafor', 'Hernandez', 'Garcia', 'Tanaka', 'Chen',
  'Patel', 'Haddad', 'Andersen', 'Nilsson', 'Nowak', 'Wisniewska', 'Eze', 'Adeyemi', 'Costa', 'Silva',
  'Farouk', 'Rahimi', 'Lindqvist', 'Berg', 'Volkov', 'Petrova', 'Sato', 'Kim', 'Osei', 'Cohen',
] as const;

export const COMPANIES = [
  'Analytical Engines', 'Northwind Traders', 'Blue Harbor Labs', 'Quantum Pastry', 'Iron Forge Development',
  'Cobalt Systems', 'Granite Cloud', 'Paper Crane Studio', 'Lumen Analytics', 'Tidewater Logistics',
  'Redwood Robotics', 'Silver Birch Health', 'Open Orchard', 'Helix Payments', 'Nimbus Mobility',
  'Copperleaf Energy', 'Brightline Media', 'Foxglove Security', 'Sundial Fintech', 'Maple & Main',
] as const;

export const SCHOOLS = [
  'University of Lisbon', 'Warsaw University of Technology', 'University of Toronto', 'ETH Zurich',
  'University of Cape Town', 'National University of Singapore', 'Universidad de Buenos Aires',
  'University of Edinburgh', 'Kyoto University', 'University of Nairobi', 'Technical University of Munich',
  'Georgia Institute of Technology', 'University of Melbourne', 'Indian Institute of Science',
] as const;

export const POSITIONS = [
  'Software Engineer', 'Senior Software Engineer', 'Staff Engineer', 'Engineering Manager', 'Product Manager',
  'Product Designer', 'Data Scientist', 'Data Engineer', 'Site Reliability Engineer', 'Account Executive',
  'Customer Success Manager', 'Recruiter', 'Security Engineer', 'Frontend Engineer', 'Mobile Engineer',
] as const;

export const TIMEZONES = ['Europe/Warsaw', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Singapore', 'Europe/Berlin'] as const;

/** Places candidates live in: [city, region, country]. */
export const PLACES: ReadonlyArray<readonly [string, string, string]> = [
  ['Lublin', 'Lublin Voivodeship', 'Poland'],
  ['Kraków', 'Lesser Poland Voivodeship', 'Poland'],
  ['Kyiv', 'Kyiv City', 'Ukraine'],
  ['Berlin', 'Berlin', 'Germany'],
  ['Lisbon', 'Lisbon', 'Portugal'],
  ['Austin', 'Texas', 'United States'],
  ['Seattle', 'Washington', 'United States'],
  ['Toronto', 'Ontario', 'Canada'],
  ['Lagos', 'Lagos State', 'Nigeria'],
  ['Bengaluru', 'Karnataka', 'India'],
  ['São Paulo', 'São Paulo', 'Brazil'],
  ['Melbourne', 'Victoria', 'Australia'],
];

export const JOB_TITLES = [
  'Backend Engineer', 'Senior Backend Engineer', 'Staff Backend Engineer', 'Frontend Engineer',
  'Full-Stack Engineer', 'Site Reliability Engineer', 'Data Engineer', 'Machine Learning Engineer',
  'Engineering Manager', 'Product Manager', 'Product Designer', 'Account Executive', 'Sales Development Representative',
  'Customer Success Manager', 'Solutions Engineer', 'Technical Recruiter', 'Security Engineer', 'Developer Advocate',
  'Finance Manager', 'People Partner',
] as const;

export const NOTE_TEXTS = [
  'Strong systems background; asked great questions about our on-call rotation.',
  'Prefers a hybrid setup. Available to start in six weeks.',
  'Referred by a former colleague. Follow up after the onsite.',
  'Compensation expectations are within band.',
  'Left a voicemail; will try again on Thursday.',
] as const;

export const FEEDBACK_TEXTS = [
  'Clear communicator, solid fundamentals, wrote clean and tested code.',
  'Good product sense but struggled with the system design portion.',
  'Excellent collaboration signals; would be a strong addition to the team.',
  'Needs more depth in distributed systems for this level.',
] as const;
