/**
 * What leaves the IdP client when a token response cannot be used: a coded error whose message and
 * cause chain hold no token, however deep a debugger or logger prints it.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { translateIdpError } from '../../core/identity/idp.js';

const ACCESS = 'at-SECRET-access-token-value-0123456789';
const REFRESH = 'rt-SECRET-refresh-token-value-0123456789';
const ID = 'eyJhbGciOiJFUzI1NiJ9.SECRET-id-token.sig';
const tokenBody = () => ({
  access_token: ACCESS,
  refresh_token: REFRESH,
  id_token: ID,
  token_type: 'mac',
  expires_in: 300,
});

/** As oauth4webapi raises them while processing a successful token response. */
function processingError(name: string, message: string, code?: string): Error {
  const err = new Error(message, { cause: { body: tokenBody(), attribute: 'token_type' } });
  err.name = name;
  if (code !== undefined) Object.assign(err, { code });
  return err;
}

function printed(value: unknown): string {
  return inspect(value, { depth: Infinity, showHidden: true, getters: true });
}

describe('IdP errors about a successful token response', () => {
  it.each([
    [
      'an unsupported token_type',
      processingError('UnsupportedOperationError', 'unsupported `token_type` value'),
    ],
    [
      'an ID token that fails validation',
      processingError(
        'OperationProcessingError',
        'unexpected ID Token "nonce" claim value',
        'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
      ),
    ],
    [
      'a processing error wrapped once more (openid-client style)',
      Object.assign(
        new Error('something went wrong', {
          cause: processingError(
            'OperationProcessingError',
            '"response" body "scope" property must be a string',
          ),
        }),
        { code: 'OAUTH_RESPONSE_BODY_ERROR' },
      ),
    ],
    [
      'a TypeError carrying the body',
      Object.assign(new TypeError('"response" body "expires_in" property must be a number'), {
        cause: { body: tokenBody() },
      }),
    ],
  ])('keep no token when it is %s', (_name, raw) => {
    const err = translateIdpError(raw, 'token refresh');
    expect(err.code).toMatch(/^LG_IDENTITY_/);
    const text = printed(err);
    for (const secret of [ACCESS, REFRESH, ID]) expect(text).not.toContain(secret);
    expect(JSON.stringify(err)).not.toContain(ACCESS);
  });

  it('keeps the error response as the cause of a refused grant (no token in it)', () => {
    const refused = Object.assign(new Error('server responded with an error in the response body'), {
      error: 'invalid_grant',
      error_description: 'grant request is invalid',
      cause: { error: 'invalid_grant', error_description: 'grant request is invalid' },
    });
    const err = translateIdpError(refused, 'token refresh');
    expect(err.code).toBe('LG_IDENTITY_SESSION_ENDED');
    expect(err.cause).toBe(refused);
  });
});
