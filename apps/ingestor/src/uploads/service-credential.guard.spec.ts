import { UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { ServiceCredentialGuard, presentsServiceToken } from './service-credential.guard';

const token = 's'.repeat(32);

function httpContext(
  path: string,
  authorization?: string,
): { context: ExecutionContext; headers: Map<string, string> } {
  const headers = new Map<string, string>();
  const request = { path, headers: authorization === undefined ? {} : { authorization } };
  const response = { setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value) };
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

describe('presentsServiceToken', () => {
  it('accepts the token as a bearer credential, the scheme in any case', () => {
    expect(presentsServiceToken(`Bearer ${token}`, token)).toBe(true);
    expect(presentsServiceToken(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses another token, a prefix of it, another scheme and no header', () => {
    expect(presentsServiceToken(`Bearer ${'t'.repeat(32)}`, token)).toBe(false);
    expect(presentsServiceToken(`Bearer ${token.slice(0, 31)}`, token)).toBe(false);
    expect(presentsServiceToken(`Basic ${token}`, token)).toBe(false);
    expect(presentsServiceToken(undefined, token)).toBe(false);
  });
});

describe('ServiceCredentialGuard', () => {
  it('refuses a /v1 door without the credential with 401 SERVICE_CREDENTIAL_REQUIRED and a Bearer challenge', () => {
    const guard = new ServiceCredentialGuard({ serviceToken: token });
    const { context, headers } = httpContext('/v1/uploads');
    expect(() => guard.canActivate(context)).toThrow(UnauthorizedException);
    try {
      guard.canActivate(context);
    } catch (error) {
      expect((error as UnauthorizedException).getResponse()).toMatchObject({ code: 'SERVICE_CREDENTIAL_REQUIRED' });
    }
    expect(headers.get('www-authenticate')).toBe('Bearer realm="claims-ingestor"');
  });

  it('lets the credential through to every /v1 door, and probes and metrics through without it', () => {
    const guard = new ServiceCredentialGuard({ serviceToken: token });
    expect(guard.canActivate(httpContext('/v1/ingestions', `Bearer ${token}`).context)).toBe(true);
    expect(guard.canActivate(httpContext('/health/ready').context)).toBe(true);
    expect(guard.canActivate(httpContext('/metrics').context)).toBe(true);
  });

  it('refuses a /v1 door spelled in another case or with a trailing slash, which the router still matches', () => {
    const guard = new ServiceCredentialGuard({ serviceToken: token });
    for (const path of ['/V1/uploads', '/v1/Ingestions', '/V1/INGESTIONS/', '/v1/uploads/']) {
      expect(() => guard.canActivate(httpContext(path).context)).toThrow(UnauthorizedException);
    }
  });

  it('opens only the probes and /metrics, in any case, and guards every other path', () => {
    const guard = new ServiceCredentialGuard({ serviceToken: token });
    for (const path of ['/health', '/health/live', '/HEALTH/READY', '/metrics/']) {
      expect(guard.canActivate(httpContext(path).context)).toBe(true);
    }
    for (const path of ['/metrics/extra', '/health/readyz', '/', '/uploads']) {
      expect(() => guard.canActivate(httpContext(path).context)).toThrow(UnauthorizedException);
    }
  });

  it('lets everything through when no credential is configured (the doors then listen on loopback only)', () => {
    expect(new ServiceCredentialGuard({ serviceToken: null }).canActivate(httpContext('/v1/uploads').context)).toBe(
      true,
    );
  });
});
