import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/index.js';

describe('oidc and identity config', () => {
  it('defaults: sign-in required once oidc is set, offline_access requested, keychain only', () => {
    const config = parseConfig({ oidc: { issuer: 'https://login.corp.example', clientId: 'llmgate' } });
    expect(config.oidc).toMatchObject({
      requireSignIn: true,
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      refreshAheadSeconds: 120,
    });
    expect(config.identity).toEqual({ audiences: [], allowPlaintextFileStore: false });
  });

  it('has no sign-in without an oidc section', () => {
    expect(parseConfig({}).oidc).toBeUndefined();
  });

  it.each([
    ['a plain-http issuer', { oidc: { issuer: 'http://login.corp.example', clientId: 'x' } }, 'oidc.issuer'],
    ['a client secret', { oidc: { issuer: 'https://a.example', clientId: 'x', clientSecret: 's' } }, 'oidc'],
    [
      'an audience that is a URL',
      { identity: { audiences: ['https://api.corp.example'] } },
      'identity.audiences',
    ],
    [
      'a user-hash header that is not x-',
      { identity: { providerUserHash: { hosts: ['api.openai.com'], header: 'user' } } },
      'identity.providerUserHash.header',
    ],
  ])('rejects %s', (_name, value, key) => {
    expect(() => parseConfig(value)).toThrow(
      expect.objectContaining({ code: 'LG_CONFIG_INVALID', message: expect.stringContaining(key) }),
    );
  });
});
