import { AshbyKafkaError } from '../../errors.js';

/**
 * A request the sandbox refuses the way Ashby would: it becomes the error envelope
 * `{success:false, errors:[code], errorInfo:{code, message, requestId}}` with the given HTTP
 * status, which is 200 for everything that would "normally" be a 4xx (docs/ashby-api.md §1.5).
 * It never escapes the sandbox as an exception: the server turns it into a response.
 */
export class AshbyWireError extends AshbyKafkaError {
  constructor(
    readonly ashbyCode: string,
    message: string,
    readonly httpStatus = 200,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super('SANDBOX_WIRE_ERROR', message, { details: { ashbyCode, httpStatus } });
  }
}

export function invalidInput(message: string): AshbyWireError {
  return new AshbyWireError('invalid_input', message);
}

/**
 * `<entity>_not_found`. Ashby documents application_not_found, interview_plan_not_found,
 * interview_stage_not_found and archive_reason_not_found; the others follow the same pattern
 * (docs/ashby-api.md §1.6, uncertain).
 */
export function notFound(entity: string, id: unknown): AshbyWireError {
  const code = `${entity.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_not_found`;
  return new AshbyWireError(code, `No ${entity} with id ${JSON.stringify(id)} exists, or this API key may not see it.`);
}
