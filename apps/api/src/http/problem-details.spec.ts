import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { PROBLEM_TYPE_PREFIX, problemOf, problemType } from './problem-details';

describe('problemOf', () => {
  it('turns a validation 400 into a problem that names the fields in its detail and keeps them as a member', () => {
    const problem = problemOf(
      new BadRequestException({ code: 'REQUEST_INVALID', fields: ['asOf', 'limit'] }),
      '/v1/kpis/pended-queue',
    );
    expect(problem).toEqual({
      type: `${PROBLEM_TYPE_PREFIX}request-invalid`,
      title: 'The request has invalid parameters',
      status: 400,
      detail: 'invalid or unknown: asOf, limit',
      code: 'REQUEST_INVALID',
      fields: ['asOf', 'limit'],
      instance: '/v1/kpis/pended-queue',
    });
  });

  it("makes a guard's message the detail and drops Nest's statusCode and error members", () => {
    const problem = problemOf(
      new UnauthorizedException({ statusCode: 401, code: 'TOKEN_EXPIRED', message: 'issue a new one' }),
    );
    expect(problem).toEqual({
      type: problemType('TOKEN_EXPIRED'),
      title: 'The bearer token has expired',
      status: 401,
      detail: 'issue a new one',
      code: 'TOKEN_EXPIRED',
    });
  });

  it('keeps the extension members of a 403 and a 503 under their own names, the status always the number', () => {
    expect(
      problemOf(new ForbiddenException({ code: 'PERMISSION_DENIED', message: 'no', required: 'kpis:read' })),
    ).toMatchObject({ status: 403, code: 'PERMISSION_DENIED', required: 'kpis:read' });
    const unready = problemOf(
      new ServiceUnavailableException({ status: 'down', checks: { database: 'down' }, failures: ['database'] }),
    );
    expect(unready).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', checks: { database: 'down' } });
  });

  it("names Nest's answer to an unknown path ROUTE_NOT_FOUND, apart from a missing resource", () => {
    expect(problemOf(new NotFoundException('Cannot GET /v2/nothing'))).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      detail: 'no route answers this method and path',
    });
    expect(problemOf(new NotFoundException({ code: 'INGESTION_NOT_FOUND' }))).toMatchObject({
      status: 404,
      code: 'INGESTION_NOT_FOUND',
      title: 'Not Found',
    });
  });

  it('derives a code from the status of an exception thrown without one, and keeps its message out', () => {
    expect(problemOf(new HttpException('Payload of user 42 refused', 429))).toEqual({
      type: problemType('TOO_MANY_REQUESTS'),
      title: 'Too Many Requests',
      status: 429,
      detail: 'Too Many Requests',
      code: 'TOO_MANY_REQUESTS',
    });
  });

  it('answers the 400 Nest makes of a JSON SyntaxError as BODY_INVALID, without the body it quotes', () => {
    const nestMade = new BadRequestException(`Unexpected token 'a', "{"role": analyst-secret" is not valid JSON`);
    const problem = problemOf(nestMade);
    expect(problem).toMatchObject({ status: 400, code: 'BODY_INVALID' });
    expect(JSON.stringify(problem)).not.toContain('analyst-secret');
  });

  it("answers the body parser's malformed JSON as a 400 BODY_INVALID that echoes none of the body", () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token s in JSON at position 9: {"role":secret'), {
      status: 400,
      expose: true,
      type: 'entity.parse.failed',
    });
    const problem = problemOf(parseError);
    expect(problem).toMatchObject({ status: 400, code: 'BODY_INVALID' });
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('answers any other error as a 500 that carries neither its message nor its stack', () => {
    const failure = new Error('connection to 10.0.0.7:5432 refused for user claims');
    const problem = problemOf(failure, '/v1/kpis/summary');
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', instance: '/v1/kpis/summary' });
    const text = JSON.stringify(problem);
    expect(text).not.toContain('10.0.0.7');
    expect(text).not.toContain('problem-details.spec');
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('does not let an http-errors 5xx through as if the client were meant to see it', () => {
    const hidden = Object.assign(new Error('pool exhausted'), { status: 503, expose: false });
    expect(problemOf(hidden)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });
});
