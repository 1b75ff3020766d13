import type { Rule } from '../types.js';

/** Decodes one base64url segment to a string, or undefined when it is not base64url. */
function decodeSegment(segment: string): string | undefined {
  if (segment.length % 4 === 1) return undefined;
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  try {
    return atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    return undefined;
  }
}

/** The header must decode to a JSON object with a string `alg`: that is what makes three segments a JWT. */
export function isJwt(value: string): boolean {
  const dot = value.indexOf('.');
  if (dot <= 0) return false;
  const header = decodeSegment(value.slice(0, dot));
  if (header === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(header);
    return (
      typeof parsed === 'object' && parsed !== null && typeof (parsed as { alg?: unknown }).alg === 'string'
    );
  } catch {
    return false;
  }
}

const HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const PAYLOAD = 'eyJzdWIiOiJ1LTQ4MjEzIiwibmFtZSI6IlRlc3QgVXNlciIsImlhdCI6MTczMjE5MDAwMH0';
const SIGNATURE = 'qrCqZOIcke7vc5ItfP7R80YPNnPSsZB0bJQyNfwPpjE';
/** {"typ":"JWT","kid":"k1"}: JSON, but no `alg`. */
const HEADER_NO_ALG = 'eyJ0eXAiOiJKV1QiLCJraWQiOiJrMSJ9';

/** JSON Web Tokens (JWS compact form): three base64url segments, the first two JSON objects (`eyJ`). */
export const jwtRules: readonly Rule[] = [
  {
    id: 'jwt',
    category: 'secret',
    description: 'JSON Web Token: three base64url segments whose header decodes to JSON with "alg".',
    keywords: ['eyj'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{5,8000}\.[A-Za-z0-9_-]{0,2000}(?![A-Za-z0-9_-])/,
    validate: isJwt,
    truePositives: [
      `id_token=${HEADER}.${PAYLOAD}.${SIGNATURE}`,
      `curl -H "Authorization: Bearer ${HEADER}.${PAYLOAD}.${SIGNATURE}" https://api.internal.test/v1/me`,
      `{"access_token":"${HEADER}.${PAYLOAD}.${SIGNATURE}","expires_in":3600}`,
    ],
    falsePositives: [
      `ref ${HEADER_NO_ALG}.${PAYLOAD}.${SIGNATURE}`, // header without alg
      `ref ${HEADER}.${PAYLOAD}`, // two segments
      `ref eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ.${PAYLOAD}.${SIGNATURE}`, // header does not decode to JSON
      'a JWT looks like eyJhbGciOi....eyJzdWIi....signature',
    ],
  },
];
