import { iso } from '../clock.js';
import { Kind } from './ids.js';
import type { Rng } from './random.js';
import type { World } from './world.js';

/**
 * Custom field definitions and form definitions (feedback scorecards, surveys, the offer form and
 * the application form). All are fixed lists: their number does not grow with the scale.
 */

export type FieldType =
  | 'MultiValueSelect'
  | 'NumberRange'
  | 'String'
  | 'Date'
  | 'ValueSelect'
  | 'Number'
  | 'Currency'
  | 'Boolean'
  | 'LongText'
  | 'CompensationRange';
export type ObjectType = 'Application' | 'Candidate' | 'Employee' | 'Job' | 'Offer' | 'Opening' | 'Talent_Project';

export interface CustomFieldDefinitionModel {
  id: string;
  isPrivate: boolean;
  title: string;
  objectType: ObjectType;
  isArchived: boolean;
  fieldType: FieldType;
  isRequired: boolean;
  selectableValues?: { label: string; value: string; isArchived: boolean }[];
}

type Def = readonly [
  title: string,
  objectType: ObjectType,
  fieldType: FieldType,
  options: readonly string[],
  flags?: { private?: boolean; archived?: boolean },
];

/** One definition per value shape Ashby documents, spread over the object types. */
const DEFINITIONS: readonly Def[] = [
  ['Preferred Name', 'Candidate', 'String', []],
  ['Willing to Relocate', 'Candidate', 'Boolean', []],
  ['Seniority', 'Candidate', 'ValueSelect', ['Junior', 'Mid', 'Senior', 'Staff', 'Principal']],
  ['Languages', 'Candidate', 'MultiValueSelect', ['English', 'German', 'French', 'Polish', 'Spanish', 'Mandarin']],
  ['Available From', 'Candidate', 'Date', []],
  ['Years of Experience', 'Candidate', 'Number', []],
  ['Salary Expectation', 'Candidate', 'Currency', [], { private: true }],
  ['Recruiter Summary', 'Application', 'LongText', []],
  ['Expected Interview Rounds', 'Application', 'NumberRange', []],
  ['Budgeted Compensation', 'Job', 'CompensationRange', []],
  ['Cost Center', 'Job', 'ValueSelect', ['CC-100 Engineering', 'CC-200 Sales', 'CC-300 G&A']],
  ['Requisition Code', 'Opening', 'String', []],
  ['Signing Bonus', 'Offer', 'Currency', []],
  ['Employee Number', 'Employee', 'String', []],
  ['Project Brief', 'Talent_Project', 'LongText', []],
  ['Legacy Score', 'Candidate', 'Number', [], { archived: true }],
];
export const CUSTOM_FIELD_COUNT = DEFINITIONS.length;
export const CF = {
  PreferredName: 0,
  Relocate: 1,
  Seniority: 2,
  Languages: 3,
  AvailableFrom: 4,
  Experience: 5,
  SalaryExpectation: 6,
  RecruiterSummary: 7,
  InterviewRounds: 8,
  BudgetedCompensation: 9,
  CostCenter: 10,
  RequisitionCode: 11,
  SigningBonus: 12,
} as const;

function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

export function generateCustomField(w: World, i: number): CustomFieldDefinitionModel | undefined {
  const def = DEFINITIONS[i];
  if (!def) return undefined;
  const [title, objectType, fieldType, options, flags] = def;
  return {
    id: w.id(Kind.CustomField, i),
    isPrivate: flags?.private ?? false,
    title,
    objectType,
    isArchived: flags?.archived ?? false,
    fieldType,
    isRequired: false,
    ...(options.length
      ? { selectableValues: options.map((label) => ({ label, value: slug(label), isArchived: false })) }
      : {}),
  };
}

const definitionCache = new WeakMap<World, CustomFieldDefinitionModel[]>();

/** A plausible value of the right shape for definition `i` (the wire `value`). */
export function sampleCustomFieldValue(w: World, i: number, rng: Rng): unknown {
  let defs = definitionCache.get(w);
  if (!defs) definitionCache.set(w, (defs = DEFINITIONS.map((_, k) => generateCustomField(w, k)!)));
  const def = defs[i]!;
  const options = def.selectableValues?.map((o) => o.value) ?? [];
  switch (def.fieldType) {
    case 'String':
      return ['Sam', 'Alex', 'Jo', 'Kit'][rng.int(4)];
    case 'LongText':
      return 'Strong match for the role; see interview notes for details.';
    case 'Boolean':
      return rng.chance(0.5);
    case 'Number':
      return rng.between(1, 20);
    case 'Date':
      return iso(w.startMs + rng.between(7, 120) * 86_400_000).slice(0, 10) + 'T00:00:00.000Z';
    case 'ValueSelect':
      return rng.pick(options);
    case 'MultiValueSelect':
      return rng.sample(options, rng.between(1, 3));
    case 'Currency':
      return { value: rng.between(60, 250) * 1000, currencyCode: 'USD' };
    case 'NumberRange': {
      const min = rng.between(2, 4);
      return { type: 'number-range', minValue: min, maxValue: min + rng.between(1, 3) };
    }
    case 'CompensationRange': {
      const min = rng.between(80, 180) * 1000;
      return {
        type: 'compensation-range',
        minValue: min,
        maxValue: min + 40_000,
        currencyCode: 'USD',
        interval: '1 YEAR',
      };
    }
  }
}

// ---- form definitions -------------------------------------------------------------------

interface FormField {
  isRequired: boolean;
  descriptionHtml?: string;
  descriptionPlain?: string;
  field: {
    id: string;
    type: string;
    path: string;
    humanReadablePath: string;
    title: string;
    isNullable: boolean;
    selectableValues?: { label: string; value: string }[];
  };
}
export interface FormDefinition {
  sections: { title?: string; fields: FormField[] }[];
}

function field(
  w: World,
  n: number,
  type: string,
  path: string,
  title: string,
  isRequired: boolean,
  options?: string[],
): FormField {
  return {
    isRequired,
    field: {
      id: w.id(Kind.FormField, n),
      type,
      path,
      humanReadablePath: path.startsWith('_systemfield_') ? title : '',
      title,
      isNullable: !isRequired,
      ...(options ? { selectableValues: options.map((label) => ({ label, value: slug(label) })) } : {}),
    },
  };
}

export function scorecardForm(w: World, formIndex: number): FormDefinition {
  const base = 100 + formIndex * 10;
  return {
    sections: [
      {
        title: 'Assessment',
        fields: [
          field(w, base, 'ValueSelect', 'overall_recommendation', 'Overall Recommendation', true, [
            'Strong Hire',
            'Hire',
            'No Hire',
            'Strong No Hire',
          ]),
          field(w, base + 1, 'Score', 'technical_skills', 'Technical Skills', false),
          field(w, base + 2, 'RichText', 'detailed_feedback', 'Detailed Feedback', false),
        ],
      },
    ],
  };
}

export function applicationForm(w: World): FormDefinition {
  const q = field(w, 3, 'ValueSelect', w.id(Kind.FormField, 3), 'How much professional experience do you have?', true, [
    '0-5 years',
    '5-10 years',
    '10+ years',
  ]);
  q.descriptionHtml = '<p>Count full-time roles only.</p>';
  q.descriptionPlain = 'Count full-time roles only.';
  return {
    sections: [
      {
        fields: [
          field(w, 0, 'String', '_systemfield_name', 'Name', true),
          field(w, 1, 'Email', '_systemfield_email', 'Email', true),
          field(w, 2, 'Url', w.id(Kind.FormField, 2), 'LinkedIn Profile URL', false),
          q,
          field(w, 4, 'Location', '_systemfield_location', 'Where are you based?', true),
        ],
      },
    ],
  };
}

/** Paths of the offer form's system fields; offer.create and offer.update submit values for these. */
export const OFFER_PATHS = {
  startDate: '_systemfield_start_date',
  salary: '_systemfield_salary',
  opening: '_systemfield_opening',
  notes: '_systemfield_offer_notes',
} as const;

export function offerForm(w: World): FormDefinition {
  return {
    sections: [
      {
        title: 'Offer details',
        fields: [
          field(w, 50, 'Date', OFFER_PATHS.startDate, 'Start Date', true),
          field(w, 51, 'Currency', OFFER_PATHS.salary, 'Base Salary', true),
          field(w, 52, 'String', OFFER_PATHS.opening, 'Opening', false),
          field(w, 53, 'LongText', OFFER_PATHS.notes, 'Notes', false),
          field(w, 54, 'Currency', w.id(Kind.CustomField, CF.SigningBonus), 'Signing Bonus', false),
        ],
      },
    ],
  };
}

export interface FormDefinitionRecord {
  id: string;
  organizationId: string;
  title: string;
  isArchived: boolean;
  isDefaultForm: boolean;
  formDefinition: FormDefinition;
  interviewId?: string;
  surveyType?: string;
}

const SCORECARDS = [
  'Recruiter Screen Scorecard',
  'Technical Interview Scorecard',
  'Onsite Scorecard',
  'Values Conversation',
  'Hiring Debrief',
  'Legacy Scorecard',
] as const;
export const FEEDBACK_FORM_COUNT = SCORECARDS.length;

export function generateFeedbackForm(w: World, i: number): FormDefinitionRecord | undefined {
  const title = SCORECARDS[i];
  return title === undefined
    ? undefined
    : {
        id: w.id(Kind.FeedbackFormDefinition, i),
        organizationId: w.id(Kind.Organization, 0),
        title,
        isArchived: i === SCORECARDS.length - 1,
        isDefaultForm: i === 0,
        formDefinition: scorecardForm(w, i),
      };
}

const SURVEYS: ReadonlyArray<readonly [string, string]> = [
  ['Candidate Experience Survey', 'CandidateExperience'],
  ['Voluntary Self-Identification', 'EEOC'],
  ['Diversity Survey', 'Diversity'],
];
export const SURVEY_FORM_COUNT = SURVEYS.length;

export function generateSurveyForm(w: World, i: number): FormDefinitionRecord | undefined {
  const row = SURVEYS[i];
  return (
    row && {
      id: w.id(Kind.SurveyFormDefinition, i),
      organizationId: w.id(Kind.Organization, 0),
      title: row[0],
      isArchived: false,
      isDefaultForm: i === 0,
      formDefinition: {
        sections: [
          {
            title: row[0],
            fields: [field(w, 200 + i * 10, 'Score', 'experience_rating', 'How was your experience?', false)],
          },
        ],
      },
      surveyType: row[1],
    }
  );
}
