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

/** Whether a base64url segment decodes to a JSON object. */
function decodesToObject(segment: string): Record<string, unknown> | undefined {
  const json = decodeSegment(segment);
  if (json === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What makes dot-separated base64url segments a JWT: the header decodes to a JSON object with a string `alg`;
 * or, for a signed token (three segments) whose header was mangled or cut, the payload decodes to a JSON
 * object. An unsigned token (header.payload) needs both.
 */
export function isJwt(value: string): boolean {
  const dot = value.indexOf('.');
  if (dot <= 0) return false;
  const second = value.indexOf('.', dot + 1);
  const header = decodesToObject(value.slice(0, dot));
  const payload = decodesToObject(value.slice(dot + 1, second < 0 ? undefined : second));
  const headerOk = header !== undefined && typeof header.alg === 'string';
  if (second < 0) return headerOk && payload !== undefined;
  return headerOk || payload !== undefined;
}

/** A JWT encoded once more in base64 (`ZXlK...` is base64 of `eyJ`): decodes, then passes `isJwt`. */
function isBase64Jwt(value: string): boolean {
  let decoded: string;
  try {
    decoded = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return false;
  }
  const jwt = /^eyJ[A-Za-z0-9_-]{10,6000}\.eyJ[A-Za-z0-9_-]{5,6000}(?:\.[A-Za-z0-9_-]{0,2000})?/.exec(
    decoded,
  );
  return jwt !== null && isJwt(jwt[0]);
}

const HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';
const PAYLOAD = 'eyJzdWIiOiJ1LTQ4MjEzIiwibmFtZSI6IlRlc3QgVXNlciIsImlhdCI6MTczMjE5MDAwMH0';
const SIGNATURE = 'qrCqZOIcke7vc5ItfP7R80YPNnPSsZB0bJQyNfwPpjE';
/** {"typ":"JWT","kid":"k1"}: JSON, but no `alg`. */
const HEADER_NO_ALG = 'eyJ0eXAiOiJKV1QiLCJraWQiOiJrMSJ9';
/** Not base64url JSON: `eyJ` followed by noise. */
const NOT_JSON = 'eyJxQ7vLp2Zk9Tr4Wm8Nc3Bh';

/** JSON Web Tokens (JWS compact form): base64url segments, the first two JSON objects (`eyJ`). */
export const jwtRules: readonly Rule[] = [
  {
    id: 'jwt',
    category: 'secret',
    description: 'JSON Web Token: three base64url segments whose header decodes to JSON with "alg".',
    keywords: ['eyj'],
    matchStart: [0, 0],
    pattern:
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{5,8000}(?:\.[A-Za-z0-9_-]{0,2000})?(?![A-Za-z0-9_-])/,
    validate: isJwt,
    truePositives: [
      `id_token=${HEADER}.${PAYLOAD}.${SIGNATURE}`,
      `curl -H "Authorization: Bearer ${HEADER}.${PAYLOAD}.${SIGNATURE}" https://api.internal.test/v1/me`,
      `{"access_token":"${HEADER}.${PAYLOAD}.${SIGNATURE}","expires_in":3600}`,
      `unsigned: ${HEADER}.${PAYLOAD}`, // header.payload, no signature
      `mangled header: ${NOT_JSON}.${PAYLOAD}.${SIGNATURE}`, // the payload still decodes
    ],
    falsePositives: [
      `ref ${HEADER_NO_ALG}.${PAYLOAD}`, // two segments, header without alg
      `ref ${NOT_JSON}.${NOT_JSON}.${SIGNATURE}`, // neither segment decodes to JSON
      `ref ${HEADER}.${NOT_JSON}`,
      'a JWT looks like eyJhbGciOi....eyJzdWIi....signature',
      '{"alg":"HS256","typ":"JWT"}.{"sub":"u-1"}.c2lnbmF0dXJl',
    ],
  },
  {
    id: 'jwt-base64',
    category: 'secret',
    description:
      'A JSON Web Token encoded once more in base64 (ZXlK..., as in Kubernetes secrets and env files).',
    keywords: ['zxlk'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9+/_-])ZXlK[A-Za-z0-9+/_-]{40,12000}={0,2}(?![A-Za-z0-9+/=_-])/,
    validate: isBase64Jwt,
    truePositives: [`token: ${btoa(`${HEADER}.${PAYLOAD}.${SIGNATURE}`)}`],
    falsePositives: [
      `ref ${btoa(`${NOT_JSON}.${NOT_JSON}.${SIGNATURE}`)}`,
      `ref ${btoa('eyJ is how a JSON object starts in base64; this line is prose, not a token.')}`,
    ],
  },
];
