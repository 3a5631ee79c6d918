import { BadRequestException } from '@nestjs/common';
import {
  allowedMethods,
  isPathDecodeFailure,
  undecodableParameterRefusal,
  undecodablePathParameter,
} from './path-parameters';
import { problemOf } from './problem-details';

const ROUTES = [
  { method: 'GET', path: '/v1/claims/:claimId' },
  { method: 'GET', path: '/v1/claims/:claimId/lineage' },
  { method: 'GET', path: '/v1/ingestions/export.csv' },
  { method: 'GET', path: '/v1/ingestions/jobs/:ingestId' },
  { method: 'GET', path: '/v1/ingestions/:fileId' },
  { method: 'DELETE', path: '/v1/api-keys/:keyId' },
];

describe('a path segment that is not valid percent-encoded UTF-8', () => {
  it.each([
    ['GET', '/v1/claims/%ff', '/v1/claims/:claimId', 'claimId'],
    ['HEAD', '/v1/claims/%FF/', '/v1/claims/:claimId', 'claimId'],
    ['GET', '/V1/Claims/CLM-%C3%28/lineage', '/v1/claims/:claimId/lineage', 'claimId'],
    ['GET', '/v1/ingestions/jobs/%E0%A4', '/v1/ingestions/jobs/:ingestId', 'ingestId'],
    ['GET', '/v1/ingestions/%', '/v1/ingestions/:fileId', 'fileId'],
    ['DELETE', '/v1/api-keys/%ff', '/v1/api-keys/:keyId', 'keyId'],
  ])('%s %s is the parameter of %s named %s', (method, path, route, parameter) => {
    expect(undecodablePathParameter(ROUTES, method, path)).toEqual({ route, parameter });
  });

  it.each([
    ['GET', '/v2/claims/%ff'],
    ['DELETE', '/v1/claims/%ff'],
    ['GET', '/v1/claims/%ff/lineage/more'],
    ['GET', '/v1/claims/C1'],
  ])('%s %s is no route whose parameter it could be', (method, path) => {
    expect(undecodablePathParameter(ROUTES, method, path)).toBeUndefined();
  });

  it("recognises the router's refusal, as thrown and as Nest maps it, and nothing else", () => {
    const routerError = new URIError("Failed to decode param '%ff'");
    expect(isPathDecodeFailure(routerError)).toBe(true);
    expect(isPathDecodeFailure(new BadRequestException(routerError.message))).toBe(true);
    expect(isPathDecodeFailure(new BadRequestException({ code: 'REQUEST_INVALID', fields: ['asOf'] }))).toBe(false);
    expect(isPathDecodeFailure(new URIError('URI malformed'))).toBe(false);
  });

  it('is refused as a problem naming the parameter, never the bytes sent', () => {
    const problem = problemOf(undecodableParameterRefusal('claimId'), '/v1/claims/:claimId');
    expect(problem).toMatchObject({
      status: 400,
      code: 'REQUEST_INVALID',
      detail: 'claimId is not valid percent-encoded UTF-8',
      fields: ['claimId'],
    });
  });
});

describe('the methods a path answers', () => {
  it.each([
    ['/v1/claims/C1', '/v1/claims/:claimId', ['GET', 'HEAD']],
    ['/v1/claims/C1/lineage/', '/v1/claims/:claimId/lineage', ['GET', 'HEAD']],
    ['/v1/api-keys/k-1', '/v1/api-keys/:keyId', ['DELETE']],
    ['/v1/ingestions/export.csv', '/v1/ingestions/export.csv', ['GET', 'HEAD']],
  ])('%s is %s, answering %j', (path, route, methods) => {
    expect(allowedMethods(ROUTES, path)).toEqual({ route, methods });
  });

  it.each(['/v2/claims/C1', '/v1/claims', '/v1/claims//lineage', '/v1/claims/C1/lineage/more'])(
    '%s has the shape of no route',
    (path) => {
      expect(allowedMethods(ROUTES, path)).toBeUndefined();
    },
  );
});
