import { UnsupportedMediaTypeException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The stable code of a body sent as something other than JSON to a route that reads JSON. */
export const BODY_CONTENT_TYPE = 'BODY_CONTENT_TYPE';

/**
 * The JSON body of a request, as `@Body()` gives it, refused with 415 when
 * it was sent as anything else. The application parses forms too (Nest's
 * default parsers), so without this a form post (`role=admin&label=…`)
 * reaches a JSON route as an object and is acted on, and a JSON text sent as
 * text/plain is read as an empty body and refused for missing fields, not
 * for its media type. A request with no body at all is left to the route's
 * own validation, which names the fields it lacks. Resolved after the
 * guards, so a caller without a credential still gets a 401 first.
 */
export const JsonBody = createParamDecorator((_: unknown, context: ExecutionContext): unknown => {
  const request = context.switchToHttp().getRequest<Request>();
  // `is` answers null for a request without a body, false for a body of another type.
  if (request.is('application/json') === false) {
    throw new UnsupportedMediaTypeException({ code: BODY_CONTENT_TYPE, message: 'send the body as application/json' });
  }
  return request.body as unknown;
});
