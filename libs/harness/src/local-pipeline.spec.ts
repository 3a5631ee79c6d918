import { callerToken } from './local-pipeline';

describe('callerToken', () => {
  it('calls the API with the admin token of an API_TOKENS list', () => {
    expect(callerToken('analyst=analyst-token-analyst-token,admin=admin-token-admin-token-admin')).toBe(
      'admin-token-admin-token-admin',
    );
  });

  it('falls back to the first token when the list holds no admin', () => {
    expect(callerToken('analyst=analyst-token-analyst-token, manager=manager-token-manager-token')).toBe(
      'analyst-token-analyst-token',
    );
  });

  it('refuses a list with no role=token entry', () => {
    expect(() => callerToken('nonsense')).toThrow('API_TOKENS holds no role=token entry');
  });
});
