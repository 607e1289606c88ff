// Generated from schemas/commands/*.avsc by `npm run docs` (src/sink/builders-codegen.ts). Do not edit.
/**
 * Typed command builders for TypeScript producers: per entity and operation, the command as JSON
 * (what `value_format: json` topics carry and `parseJsonCommand` turns into the Avro value).
 */

/** candidate `create`: `candidate.create` (+ `customField.setValues`) */
export interface CandidateCreateCommand {
  operation: 'create';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The first and last name of the candidate to be created. Operations: create, update, upsert. Required for: create, upsert. */
  name: string;
  /** Primary, personal email of the candidate to be created. Operations: create, update, upsert. Required for: upsert. */
  email?: string;
  /** Primary, personal phone number of the candidate to be created. Operations: create, update, upsert. */
  phoneNumber?: string;
  /** Url to the candidate's LinkedIn profile. Must be a valid Url. Operations: create, update, upsert. */
  linkedInUrl?: string;
  /** Url to the candidate's Github profile. Must be a valid Url. Operations: create, update, upsert. */
  githubUrl?: string;
  /** Url of the candidate's website. Must be a valid Url. Operations: create, upsert. */
  website?: string;
  /** Array of alternate email address to add to the candidate's profile. Operations: create, upsert. */
  alternateEmailAddresses?: string[];
  /** The source to set on the candidate being created. Operations: create, update, upsert. */
  sourceId?: string;
  /** The id of the user the candidate will be credited to. Operations: create, update, upsert. */
  creditedToUserId?: string;
  /** The location of the candidate. Operations: create, update, upsert. */
  location?: {
    /** The city of the candidate's location. */
    city?: string | null;
    /** The region (state, province, etc.) of the candidate's location. */
    region?: string | null;
    /** The country of the candidate's location. */
    country?: string | null;
  };
  /** An ISO date string to set the candidate's `createdAt` timestamp. When this value isn't provided, the `createdAt` timestamp defaults to the time the call was made. Operations: create, update, upsert, createNote. */
  createdAt?: string;
  /** Custom field values to set with customField.setValues (objectType Candidate) after the main call. Operations: create, update, upsert. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** candidate `update`: `candidate.update` (+ `customField.setValues`) */
export interface CandidateUpdateCommand {
  operation: 'update';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The first and last name of the candidate to be created. Operations: create, update, upsert. Required for: create, upsert. */
  name?: string;
  /** Primary, personal email of the candidate to be created. Operations: create, update, upsert. Required for: upsert. */
  email?: string;
  /** Primary, personal phone number of the candidate to be created. Operations: create, update, upsert. */
  phoneNumber?: string;
  /** Url to the candidate's LinkedIn profile. Must be a valid Url. Operations: create, update, upsert. */
  linkedInUrl?: string;
  /** Url to the candidate's Github profile. Must be a valid Url. Operations: create, update, upsert. */
  githubUrl?: string;
  /** The source to set on the candidate being created. Operations: create, update, upsert. */
  sourceId?: string;
  /** The id of the user the candidate will be credited to. Operations: create, update, upsert. */
  creditedToUserId?: string;
  /** The location of the candidate. Operations: create, update, upsert. */
  location?: {
    /** The city of the candidate's location. */
    city?: string | null;
    /** The region (state, province, etc.) of the candidate's location. */
    region?: string | null;
    /** The country of the candidate's location. */
    country?: string | null;
  };
  /** An ISO date string to set the candidate's `createdAt` timestamp. When this value isn't provided, the `createdAt` timestamp defaults to the time the call was made. Operations: create, update, upsert, createNote. */
  createdAt?: string;
  /** The unique id of the candidate to update. Operations: update, addTag, removeTag, createNote, uploadFile, uploadResume. Required for: update, addTag, removeTag, createNote, uploadFile, uploadResume. */
  candidateId: string;
  /** Url of the candidate's website. Must be a valid Url. Operations: update. */
  websiteUrl?: string;
  /** An alternate email address to add to the candidate's profile. Operations: update. */
  alternateEmail?: string;
  /** An array of social links to set on the candidate. This value replaces existing socialLinks that have been set on the candidate. If this value is submitted along with linkedInUrl, gitHubUrl or websiteUrl fields, those values will be ignored. Operations: update. */
  socialLinks?: {
    /** Type, as Ashby names it. Known values: LinkedIn, GitHub, Twitter, Medium, StackOverflow, YouTube, CodePen, Website (a string, so values Ashby adds later still decode). */
    type: string;
    /** URL. */
    url: string;
  }[];
  /** Whether or not users who are subscribed to the candidate should be notified that candidate was updated. Default is true. Operations: update, createNote. */
  sendNotifications?: boolean;
  /** Custom field values to set with customField.setValues (objectType Candidate) after the main call. Operations: create, update, upsert. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** candidate `upsert`: `candidate.search {email}` → `candidate.update` when one matches, `candidate.create` when none */
export interface CandidateUpsertCommand {
  operation: 'upsert';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The first and last name of the candidate to be created. Operations: create, update, upsert. Required for: create, upsert. */
  name: string;
  /** Primary, personal email of the candidate to be created. Operations: create, update, upsert. Required for: upsert. */
  email: string;
  /** Primary, personal phone number of the candidate to be created. Operations: create, update, upsert. */
  phoneNumber?: string;
  /** Url to the candidate's LinkedIn profile. Must be a valid Url. Operations: create, update, upsert. */
  linkedInUrl?: string;
  /** Url to the candidate's Github profile. Must be a valid Url. Operations: create, update, upsert. */
  githubUrl?: string;
  /** Url of the candidate's website. Must be a valid Url. Operations: create, upsert. */
  website?: string;
  /** Array of alternate email address to add to the candidate's profile. Operations: create, upsert. */
  alternateEmailAddresses?: string[];
  /** The source to set on the candidate being created. Operations: create, update, upsert. */
  sourceId?: string;
  /** The id of the user the candidate will be credited to. Operations: create, update, upsert. */
  creditedToUserId?: string;
  /** The location of the candidate. Operations: create, update, upsert. */
  location?: {
    /** The city of the candidate's location. */
    city?: string | null;
    /** The region (state, province, etc.) of the candidate's location. */
    region?: string | null;
    /** The country of the candidate's location. */
    country?: string | null;
  };
  /** An ISO date string to set the candidate's `createdAt` timestamp. When this value isn't provided, the `createdAt` timestamp defaults to the time the call was made. Operations: create, update, upsert, createNote. */
  createdAt?: string;
  /** Custom field values to set with customField.setValues (objectType Candidate) after the main call. Operations: create, update, upsert. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** candidate `addTag`: `candidate.addTag` */
export interface CandidateAddTagCommand {
  operation: 'addTag';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The unique id of the candidate to update. Operations: update, addTag, removeTag, createNote, uploadFile, uploadResume. Required for: update, addTag, removeTag, createNote, uploadFile, uploadResume. */
  candidateId: string;
  /** The unique id of the tag to add to the candidate. Operations: addTag, removeTag. Required for: addTag, removeTag. */
  tagId: string;
}

/** candidate `removeTag`: `candidate.removeTag` */
export interface CandidateRemoveTagCommand {
  operation: 'removeTag';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The unique id of the candidate to update. Operations: update, addTag, removeTag, createNote, uploadFile, uploadResume. Required for: update, addTag, removeTag, createNote, uploadFile, uploadResume. */
  candidateId: string;
  /** The unique id of the tag to add to the candidate. Operations: addTag, removeTag. Required for: addTag, removeTag. */
  tagId: string;
}

/** candidate `createNote`: `candidate.createNote` (settled by its `createdAt`) */
export interface CandidateCreateNoteCommand {
  operation: 'createNote';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** An ISO date string to set the candidate's `createdAt` timestamp. When this value isn't provided, the `createdAt` timestamp defaults to the time the call was made. Operations: create, update, upsert, createNote. */
  createdAt?: string;
  /** The unique id of the candidate to update. Operations: update, addTag, removeTag, createNote, uploadFile, uploadResume. Required for: update, addTag, removeTag, createNote, uploadFile, uploadResume. */
  candidateId: string;
  /** Whether or not users who are subscribed to the candidate should be notified that candidate was updated. Default is true. Operations: update, createNote. */
  sendNotifications?: boolean;
  /** Ashby's `note`. Operations: createNote. Required for: createNote. */
  note: unknown;
  /** Whether the note should be marked as private. Private notes require "Allow access to non-offer private fields?" API key permission to create and view. Default is false. Operations: createNote. */
  isPrivate?: boolean;
}

/** candidate `uploadFile`: `candidate.uploadFile` (multipart; settled by the file name) */
export interface CandidateUploadFileCommand {
  operation: 'uploadFile';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The unique id of the candidate to update. Operations: update, addTag, removeTag, createNote, uploadFile, uploadResume. Required for: update, addTag, removeTag, createNote, uploadFile, uploadResume. */
  candidateId: string;
  /** The file to attach: give url (https; the sink downloads it under destination.files limits) or bytes (base64, up to destination.files.max_inline_bytes). Operations: uploadFile. Required for: uploadFile. */
  file: {
    /** An https URL of the file (a signed URL works; its query string is never logged). */
    url?: string | null;
    /** The file itself, base64-encoded. */
    bytes?: string | null;
    /** The file name in Ashby (default: from the download); also how an unknown outcome is settled. */
    filename?: string | null;
    /** The media type (default: what the download says; application/octet-stream inline). */
    contentType?: string | null;
  };
}

/** candidate `uploadResume`: `candidate.uploadResume` (multipart; settled by the file name) */
export interface CandidateUploadResumeCommand {
  operation: 'uploadResume';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The unique id of the candidate to update. Operations: update, addTag, removeTag, createNote, uploadFile, uploadResume. Required for: update, addTag, removeTag, createNote, uploadFile, uploadResume. */
  candidateId: string;
  /** The resume: give url (https; the sink downloads it under destination.files limits) or bytes (base64, up to destination.files.max_inline_bytes). Operations: uploadResume. Required for: uploadResume. */
  resume: {
    /** An https URL of the file (a signed URL works; its query string is never logged). */
    url?: string | null;
    /** The file itself, base64-encoded. */
    bytes?: string | null;
    /** The file name in Ashby (default: from the download); also how an unknown outcome is settled. */
    filename?: string | null;
    /** The media type (default: what the download says; application/octet-stream inline). */
    contentType?: string | null;
  };
}

/** Any `candidate` command. */
export type CandidateCommand =
  | CandidateCreateCommand
  | CandidateUpdateCommand
  | CandidateUpsertCommand
  | CandidateAddTagCommand
  | CandidateRemoveTagCommand
  | CandidateCreateNoteCommand
  | CandidateUploadFileCommand
  | CandidateUploadResumeCommand;

/** job `create`: `job.create` (+ `customField.setValues`) */
export interface JobCreateCommand {
  operation: 'create';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The title of the job. Operations: create, update. Required for: create. */
  title: string;
  /** The id of the department or team associated with the job. Operations: create, update. Required for: create. */
  teamId: string;
  /** The id of the location of the job. Operations: create, update. Required for: create. */
  locationId: string;
  /** The id of the default interview plan for this job. A job cannot be opened without a default interview plan. Operations: create, update. */
  defaultInterviewPlanId?: string;
  /** The id of the job template to use for this job. Only active job templates can be used to create a job. Operations: create. */
  jobTemplateId?: string;
  /** The id of the brand to use for this job. Operations: create. */
  brandId?: string;
  /** Custom field values to set with customField.setValues (objectType Job) after the main call. Operations: create, update. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** job `update`: `job.update` (+ `customField.setValues`) */
export interface JobUpdateCommand {
  operation: 'update';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The title of the job. Operations: create, update. Required for: create. */
  title?: string;
  /** The id of the department or team associated with the job. Operations: create, update. Required for: create. */
  teamId?: string;
  /** The id of the location of the job. Operations: create, update. Required for: create. */
  locationId?: string;
  /** The id of the default interview plan for this job. A job cannot be opened without a default interview plan. Operations: create, update. */
  defaultInterviewPlanId?: string;
  /** The unique id of the job to update. Operations: update, setStatus. Required for: update, setStatus. */
  jobId: string;
  /** The new default custom requisition id for the job. Operations: update. */
  customRequisitionId?: string;
  /** Custom field values to set with customField.setValues (objectType Job) after the main call. Operations: create, update. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** job `setStatus`: `job.setStatus` */
export interface JobSetStatusCommand {
  operation: 'setStatus';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The unique id of the job to update. Operations: update, setStatus. Required for: update, setStatus. */
  jobId: string;
  /** The status to apply to the job. Known values: Draft, Open, Closed, Archived (a string, so values Ashby adds later still decode). Operations: setStatus. Required for: setStatus. */
  status: string;
}

/** Any `job` command. */
export type JobCommand = JobCreateCommand | JobUpdateCommand | JobSetStatusCommand;

/** application `create`: `application.create` (+ `customField.setValues`) */
export interface ApplicationCreateCommand {
  operation: 'create';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the candidate to consider for a job. Operations: create. Required for: create. */
  candidateId: string;
  /** The id of the job to consider the candidate for. Operations: create, transfer. Required for: create, transfer. */
  jobId: string;
  /** The id of the interview plan to place the application in. If none is provided, the default interview plan is used. Operations: create, transfer. Required for: transfer. */
  interviewPlanId?: string;
  /** The interview stage of the interview plan (either default or provided) to place the application in. If none is provided, the application is placed in the first "Lead" stage. You can also supply the special string "FirstPreInterviewScreen", which will choose the first pre-interview-screen stage on the specified job's interview plan. Operations: create, changeStage, archive, transfer. Required for: changeStage, archive, transfer. */
  interviewStageId?: string;
  /** The source to set on the application being created. Operations: create, update, changeSource. Required for: changeSource. */
  sourceId?: string;
  /** The id of the user the application will be credited to. Operations: create, update. */
  creditedToUserId?: string;
  /** An ISO date string to set the application's `createdAt` timestamp. When this value isn't provided, the `createdAt` timestamp defaults to the time the call was made. Operations: create, update. */
  createdAt?: string;
  /** An array of objects representing the application history. Operations: create. */
  applicationHistory?: {
    /** The ID of the interview stage for this history event. This stage must belong to the interview plan associated with the application. */
    stageId: string;
    /** The sort order of this event. 0 is the first, the highest number will be the current stage. */
    stageNumber: number;
    /** An ISO date string representing the time the application entered this stage. */
    enteredStageAt: string;
    /** The ID of the archive reason. If the interview stage is an `Archived` stage type, this field is required. */
    archiveReasonId?: string | null;
  }[];
  /** Custom field values to set with customField.setValues (objectType Application) after the main call. Operations: create, update. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** application `update`: `application.update` (+ `customField.setValues`) */
export interface ApplicationUpdateCommand {
  operation: 'update';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The source to set on the application being created. Operations: create, update, changeSource. Required for: changeSource. */
  sourceId?: string;
  /** The id of the user the application will be credited to. Operations: create, update. */
  creditedToUserId?: string;
  /** An ISO date string to set the application's `createdAt` timestamp. When this value isn't provided, the `createdAt` timestamp defaults to the time the call was made. Operations: create, update. */
  createdAt?: string;
  /** The id of the application to update. Operations: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. Required for: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. */
  applicationId: string;
  /** Whether or not users who are subscribed to the application should be notified that application was updated. Default is true. Operations: update. */
  sendNotifications?: boolean;
  /** Custom field values to set with customField.setValues (objectType Application) after the main call. Operations: create, update. */
  customFields?: {
    /** The id of the custom field definition (custom_fields stream). */
    fieldId: string;
    /** The value as JSON, in the shape Ashby expects for the field type: true, 42, "text", "2025-01-31T00:00:00.000Z", ["a","b"] (MultiValueSelect), {"value":100000,"currencyCode":"USD"}, {"type":"number-range","minValue":1,"maxValue":5}, {"type":"compensation-range","minValue":1,"maxValue":2,"currencyCode":"USD","interval":"1 YEAR"}. null clears the field. */
    fieldValue?: unknown;
  }[];
}

/** application `changeStage`: `application.changeStage` */
export interface ApplicationChangeStageCommand {
  operation: 'changeStage';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The interview stage of the interview plan (either default or provided) to place the application in. If none is provided, the application is placed in the first "Lead" stage. You can also supply the special string "FirstPreInterviewScreen", which will choose the first pre-interview-screen stage on the specified job's interview plan. Operations: create, changeStage, archive, transfer. Required for: changeStage, archive, transfer. */
  interviewStageId: string;
  /** The id of the application to update. Operations: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. Required for: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. */
  applicationId: string;
  /** Archive Reason to set when moving to an Interview Stage with type: `Archived`. Note: You must pass this parameter when moving to an Interview Stage with type: `Archived`. Operations: changeStage, archive. Required for: archive. */
  archiveReasonId?: string;
  /** Email to send to the candidate when moving to an Interview Stage with type: `Archived`. Note: If application is already archived, the email will not be sent. Note: If email send fails, the application stage will not be updated. If this is the case, you can retry the request without this parameter. Note: You may only pass this parameter if the application is moving to an Interview Stage with type: `Archived`. Operations: changeStage, archive. */
  archiveEmail?: {
    /** The id of the communication template to use for the email. Note: This communication template's intendedTypes must include: `email`. */
    communicationTemplateId: string;
    /** The date and time to send the email as an ISO 8601 date and time string, e.g. `2025-02-24T08:27:01Z`. If omitted, the email will be scheduled for the following morning at 9:32am in your default timezone. If the time is in the past, the email will be sent immediately. Note: If a timezone is not specified, timestamps will be interpreted in UTC, regardless of your timezone setting. */
    sendAt?: string | null;
  };
}

/** application `changeSource`: `application.changeSource` (null `sourceId` unsets it) */
export interface ApplicationChangeSourceCommand {
  operation: 'changeSource';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The source to set on the application being created. Operations: create, update, changeSource. Required for: changeSource. */
  sourceId?: string | null;
  /** The id of the application to update. Operations: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. Required for: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. */
  applicationId: string;
}

/** application `archive`: `application.changeStage` with `archiveReasonId` */
export interface ApplicationArchiveCommand {
  operation: 'archive';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The interview stage of the interview plan (either default or provided) to place the application in. If none is provided, the application is placed in the first "Lead" stage. You can also supply the special string "FirstPreInterviewScreen", which will choose the first pre-interview-screen stage on the specified job's interview plan. Operations: create, changeStage, archive, transfer. Required for: changeStage, archive, transfer. */
  interviewStageId: string;
  /** The id of the application to update. Operations: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. Required for: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. */
  applicationId: string;
  /** Archive Reason to set when moving to an Interview Stage with type: `Archived`. Note: You must pass this parameter when moving to an Interview Stage with type: `Archived`. Operations: changeStage, archive. Required for: archive. */
  archiveReasonId: string;
  /** Email to send to the candidate when moving to an Interview Stage with type: `Archived`. Note: If application is already archived, the email will not be sent. Note: If email send fails, the application stage will not be updated. If this is the case, you can retry the request without this parameter. Note: You may only pass this parameter if the application is moving to an Interview Stage with type: `Archived`. Operations: changeStage, archive. */
  archiveEmail?: {
    /** The id of the communication template to use for the email. Note: This communication template's intendedTypes must include: `email`. */
    communicationTemplateId: string;
    /** The date and time to send the email as an ISO 8601 date and time string, e.g. `2025-02-24T08:27:01Z`. If omitted, the email will be scheduled for the following morning at 9:32am in your default timezone. If the time is in the past, the email will be sent immediately. Note: If a timezone is not specified, timestamps will be interpreted in UTC, regardless of your timezone setting. */
    sendAt?: string | null;
  };
}

/** application `transfer`: `application.transfer` */
export interface ApplicationTransferCommand {
  operation: 'transfer';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the job to consider the candidate for. Operations: create, transfer. Required for: create, transfer. */
  jobId: string;
  /** The id of the interview plan to place the application in. If none is provided, the default interview plan is used. Operations: create, transfer. Required for: transfer. */
  interviewPlanId: string;
  /** The interview stage of the interview plan (either default or provided) to place the application in. If none is provided, the application is placed in the first "Lead" stage. You can also supply the special string "FirstPreInterviewScreen", which will choose the first pre-interview-screen stage on the specified job's interview plan. Operations: create, changeStage, archive, transfer. Required for: changeStage, archive, transfer. */
  interviewStageId: string;
  /** The id of the application to update. Operations: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. Required for: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. */
  applicationId: string;
  /** Whether to start any automatic activities set on the target interview stage. If not provided, the default value is `true`. Operations: transfer. */
  startAutomaticActivities?: boolean;
}

/** application `addHiringTeamMember`: `application.addHiringTeamMember` */
export interface ApplicationAddHiringTeamMemberCommand {
  operation: 'addHiringTeamMember';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the application to update. Operations: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. Required for: update, changeStage, changeSource, archive, transfer, addHiringTeamMember. */
  applicationId: string;
  /** The id of the user to assign the role to. Operations: addHiringTeamMember. Required for: addHiringTeamMember. */
  teamMemberId: string;
  /** The id of the hiring team role to assign. Operations: addHiringTeamMember. Required for: addHiringTeamMember. */
  roleId: string;
}

/** Any `application` command. */
export type ApplicationCommand =
  | ApplicationCreateCommand
  | ApplicationUpdateCommand
  | ApplicationChangeStageCommand
  | ApplicationChangeSourceCommand
  | ApplicationArchiveCommand
  | ApplicationTransferCommand
  | ApplicationAddHiringTeamMemberCommand;

/** offer `create`: `offerProcess.start` → `offer.start` → `offer.create` with the form's `fieldSubmissions` */
export interface OfferCreateCommand {
  operation: 'create';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the application to start an offer process for. Operations: create. Required for: create. */
  applicationId: string;
  /** The offer form submission. Operations: create, update. Required for: create, update. */
  offerForm: {
    /** Values for the fields of the form, by field path. */
    fieldSubmissions: {
      /** The form field's "path" value. */
      path: string;
      /** The value for the form field, as JSON in the shape its type needs (docs/ashby-api.md §5.2): Boolean true, Number 42, String/Email/Phone "text", Date "2025-01-31", ValueSelect "option-value", MultiValueSelect ["a","b"], Currency {"currencyCode":"USD","value":100000}. Free-form: kept as JSON text. */
      value: unknown;
    }[];
  };
}

/** offer `update`: `offer.update` (a new version) */
export interface OfferUpdateCommand {
  operation: 'update';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The offer form submission. Operations: create, update. Required for: create, update. */
  offerForm: {
    /** Values for the fields of the form, by field path. */
    fieldSubmissions: {
      /** The form field's "path" value. */
      path: string;
      /** The value for the form field, as JSON in the shape its type needs (docs/ashby-api.md §5.2): Boolean true, Number 42, String/Email/Phone "text", Date "2025-01-31", ValueSelect "option-value", MultiValueSelect ["a","b"], Currency {"currencyCode":"USD","value":100000}. Free-form: kept as JSON text. */
      value: unknown;
    }[];
  };
  /** The id of the offer you're updating. Operations: update, setStatus. Required for: update, setStatus. */
  offerId: string;
}

/** offer `startApproval`: `offer.startApprovalProcess` */
export interface OfferStartApprovalCommand {
  operation: 'startApproval';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the offer version whose approval process should be started. Operations: startApproval, approve. Required for: startApproval, approve. */
  offerVersionId: string;
  /** Optional note to attach to the approval request. Operations: startApproval. */
  note?: string;
}

/** offer `approve`: `offer.approve` (one step with `approvalStepId` + `userId`) */
export interface OfferApproveCommand {
  operation: 'approve';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the offer version whose approval process should be started. Operations: startApproval, approve. Required for: startApproval, approve. */
  offerVersionId: string;
  /** The id of the specific approval step to approve. If provided, `userId` must also be provided. If omitted, the entire offer approval process will be approved. This can be obtained from the `approval.list` endpoint. Operations: approve. */
  approvalStepId?: string;
  /** The id of the user approving the step. Required if `approvalStepId` is provided. Must be an approver for the specified approval step. Operations: approve. */
  userId?: string;
}

/** offer `setStatus`: `offer.setStatus` */
export interface OfferSetStatusCommand {
  operation: 'setStatus';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the offer you're updating. Operations: update, setStatus. Required for: update, setStatus. */
  offerId: string;
  /** The acceptance status to set (offerStatus is derived from it by Ashby). Parameter name per Ashby's changelog; unverified. Known values: Accepted, Declined, Pending, Created, Cancelled, WaitingOnResponse (a string, so values Ashby adds later still decode). Operations: setStatus. Required for: setStatus. */
  acceptanceStatus: string;
}

/** Any `offer` command. */
export type OfferCommand =
  OfferCreateCommand | OfferUpdateCommand | OfferStartApprovalCommand | OfferApproveCommand | OfferSetStatusCommand;

/** interview_schedule `create`: `interviewSchedule.create` (settled by a marker in the events' `extraData`) */
export interface InterviewScheduleCreateCommand {
  operation: 'create';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the application for this interview schedule. Operations: create. Required for: create. */
  applicationId: string;
  /** The list of events that make up this interview schedule. Operations: create. Required for: create. */
  interviewEvents: {
    /** The start time of this event. */
    startTime: string;
    /** The end time of this event. */
    endTime: string;
    /** The interviewers for this event. */
    interviewers: {
      /** The email address of the user in Ashby. */
      email: string;
      /** Whether this interviewer is required to provide feedback. */
      feedbackRequired?: boolean | null;
    }[];
    /** This field stores information, structured as key-value pairs, for your own use and reference, for example a unique identifier for your own system. Do not store personally identifiable information (PII) in this field. In addition, the following constraints apply: - Keys must be strings of at most 100 characters. - Values must be strings of at most 512 characters. - The total size of the extra data must be less than 1kb. We recommend using a prefix for your keys to avoid collisions with other systems, as data stored in this field is available to all API users with permission to access the underlying object. Free-form: kept as JSON text. */
    extraData?: unknown;
    /** The id of the interview used in this event. If no value is provided, the organization's default interview will be used. */
    interviewId?: string | null;
  }[];
}

/** interview_schedule `update`: `interviewSchedule.update` (events it adds are settled by a marker in their `extraData`) */
export interface InterviewScheduleUpdateCommand {
  operation: 'update';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the interview schedule to update. Only schedules created with the same API key can be updated. Operations: update, cancel. Required for: update, cancel. */
  interviewScheduleId: string;
  /** Events to add to the schedule, or (with interviewEventId) to change. Give this or interviewEventIdToCancel. Operations: update. */
  interviewEvent?: {
    /** The id of an event to change. */
    interviewEventId?: string | null;
    /** The start time of this event. */
    startTime: string;
    /** The end time of this event. */
    endTime: string;
    /** The interviewers for this event. */
    interviewers: {
      /** The email address of the user in Ashby. */
      email: string;
      /** Whether this interviewer is required to provide feedback. */
      feedbackRequired?: boolean | null;
    }[];
    /** This field stores information, structured as key-value pairs, for your own use and reference, for example a unique identifier for your own system. Do not store personally identifiable information (PII) in this field. In addition, the following constraints apply: - Keys must be strings of at most 100 characters. - Values must be strings of at most 512 characters. - The total size of the extra data must be less than 1kb. We recommend using a prefix for your keys to avoid collisions with other systems, as data stored in this field is available to all API users with permission to access the underlying object. Free-form: kept as JSON text. */
    extraData?: unknown;
    /** The id of the interview used in this event. If no value is provided, the organization's default interview will be used. */
    interviewId?: string | null;
  }[];
  /** The ids of the events to cancel. Give this or interviewEvent. Operations: update. */
  interviewEventIdToCancel?: string[];
  /** Cancel events with submitted feedback too (their feedback is deleted). Default false: such events are not cancelled. Operations: update. */
  allowFeedbackDeletion?: boolean;
}

/** interview_schedule `cancel`: `interviewSchedule.cancel` (`interviewScheduleId` sent as `id`) */
export interface InterviewScheduleCancelCommand {
  operation: 'cancel';
  /** Caller-chosen key that makes the command safe to deliver twice: the destination applies a command once per (entity, idempotencyKey). When null, the destination derives a key from the topic, partition and offset. */
  idempotencyKey?: string;
  /** The id of the interview schedule to update. Only schedules created with the same API key can be updated. Operations: update, cancel. Required for: update, cancel. */
  interviewScheduleId: string;
  /** Whether this interview schedule can be rescheduled. Operations: cancel. */
  allowReschedule?: boolean;
}

/** Any `interview_schedule` command. */
export type InterviewScheduleCommand =
  InterviewScheduleCreateCommand | InterviewScheduleUpdateCommand | InterviewScheduleCancelCommand;

/** The commands of each entity. */
export interface CommandsByEntity {
  candidate: CandidateCommand;
  job: JobCommand;
  application: ApplicationCommand;
  offer: OfferCommand;
  interview_schedule: InterviewScheduleCommand;
}

/** Builds a command: fills in `operation`, keeps every field given. */
function builder<C extends { operation: string }>(operation: C['operation']): (fields: Omit<C, 'operation'>) => C {
  return (fields) => ({ operation, ...fields }) as C;
}

/**
 * `commands.<entity>.<operation>({...fields})`: a command of that operation, typed from its schema.
 * Send it as JSON, or turn it into the Avro value with `parseJsonCommand(entity, command)`.
 */
export const commands = {
  candidate: {
    create: builder<CandidateCreateCommand>('create'),
    update: builder<CandidateUpdateCommand>('update'),
    upsert: builder<CandidateUpsertCommand>('upsert'),
    addTag: builder<CandidateAddTagCommand>('addTag'),
    removeTag: builder<CandidateRemoveTagCommand>('removeTag'),
    createNote: builder<CandidateCreateNoteCommand>('createNote'),
    uploadFile: builder<CandidateUploadFileCommand>('uploadFile'),
    uploadResume: builder<CandidateUploadResumeCommand>('uploadResume'),
  },
  job: {
    create: builder<JobCreateCommand>('create'),
    update: builder<JobUpdateCommand>('update'),
    setStatus: builder<JobSetStatusCommand>('setStatus'),
  },
  application: {
    create: builder<ApplicationCreateCommand>('create'),
    update: builder<ApplicationUpdateCommand>('update'),
    changeStage: builder<ApplicationChangeStageCommand>('changeStage'),
    changeSource: builder<ApplicationChangeSourceCommand>('changeSource'),
    archive: builder<ApplicationArchiveCommand>('archive'),
    transfer: builder<ApplicationTransferCommand>('transfer'),
    addHiringTeamMember: builder<ApplicationAddHiringTeamMemberCommand>('addHiringTeamMember'),
  },
  offer: {
    create: builder<OfferCreateCommand>('create'),
    update: builder<OfferUpdateCommand>('update'),
    startApproval: builder<OfferStartApprovalCommand>('startApproval'),
    approve: builder<OfferApproveCommand>('approve'),
    setStatus: builder<OfferSetStatusCommand>('setStatus'),
  },
  interview_schedule: {
    create: builder<InterviewScheduleCreateCommand>('create'),
    update: builder<InterviewScheduleUpdateCommand>('update'),
    cancel: builder<InterviewScheduleCancelCommand>('cancel'),
  },
} as const;
