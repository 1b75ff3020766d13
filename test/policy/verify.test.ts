import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPolicyJws, type PolicyDocumentInput } from '../../core/policy/index.js';
import { createSigningKey, signPolicy, tamper, type SigningKey } from '../support/policy-server.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const doc = (version: number, extra: Partial<PolicyDocumentInput> = {}): PolicyDocumentInput => ({
  id: 'acme',
  version,
  expiresAt: '2026-07-01T00:00:00Z',
  rules: [{ id: 'no-previews', models: { deny: ['*-preview'] } }],
  ...extra,
});

let org: SigningKey;
let other: SigningKey;
beforeAll(async () => {
  org = await createSigningKey('org-2026');
  other = await createSigningKey('attacker');
});

const code = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'accepted',
    (err: { code?: string }) => err.code ?? 'no code',
  );

describe('signed org policies', () => {
  it('accepts a policy signed with a pinned key', async () => {
    const verified = await verifyPolicyJws(await signPolicy(doc(4), org), {
      jwks: { keys: [org.publicJwk] },
      now: NOW,
    });
    expect(verified.document).toMatchObject({ id: 'acme', version: 4, failureMode: 'closed' });
    expect(verified.kid).toBe('org-2026');
    expect(verified.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a tampered policy', async () => {
    const jws = tamper(await signPolicy(doc(4), org));
    expect(await code(verifyPolicyJws(jws, { jwks: { keys: [org.publicJwk] }, now: NOW }))).toBe(
      'LG_POLICY_BAD_SIGNATURE',
    );
  });

  it('refuses a policy signed with a key that is not pinned', async () => {
    const jws = await signPolicy(doc(4), other);
    expect(await code(verifyPolicyJws(jws, { jwks: { keys: [org.publicJwk] }, now: NOW }))).toBe(
      'LG_POLICY_UNKNOWN_KEY',
    );
  });

  it('refuses a symmetric (HS256) signature even with a matching secret in the JWKS', async () => {
    const secret = new Uint8Array(32).fill(7);
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(doc(4))))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    const jwks = { keys: [{ kty: 'oct', k: Buffer.from(secret).toString('base64url') }] };
    expect(await code(verifyPolicyJws(jws, { jwks, now: NOW }))).toBe('LG_POLICY_INVALID');
  });

  it('refuses an older version than the one in force (rollback)', async () => {
    const current = await verifyPolicyJws(await signPolicy(doc(5), org), {
      jwks: { keys: [org.publicJwk] },
      now: NOW,
    });
    const seen = { version: 5, digest: current.digest };
    const older = await signPolicy(doc(4), org);
    expect(await code(verifyPolicyJws(older, { jwks: { keys: [org.publicJwk] }, now: NOW, seen }))).toBe(
      'LG_POLICY_ROLLBACK',
    );
    // The same version with other content is an equivocation, refused the same way.
    const sameVersion = await signPolicy(doc(5, { defaultGroup: 'admins' }), org);
    expect(
      await code(verifyPolicyJws(sameVersion, { jwks: { keys: [org.publicJwk] }, now: NOW, seen })),
    ).toBe('LG_POLICY_ROLLBACK');
    // The same document again is fine (a re-fetch without an ETag).
    expect(
      await code(
        verifyPolicyJws(await signPolicy(doc(5), org), { jwks: { keys: [org.publicJwk] }, now: NOW, seen }),
      ),
    ).toBe('accepted');
  });

  it('refuses an expired policy, and one that does not expire', async () => {
    const jwks = { keys: [org.publicJwk] };
    const later = new Date('2026-07-01T00:00:00Z');
    expect(await code(verifyPolicyJws(await signPolicy(doc(4), org), { jwks, now: later }))).toBe(
      'LG_POLICY_EXPIRED',
    );
    const { expiresAt: _e, ...forever } = doc(4);
    expect(await code(verifyPolicyJws(await signPolicy(forever, org), { jwks, now: NOW }))).toBe(
      'LG_POLICY_INVALID',
    );
  });

  it('refuses a signed payload that is not a valid policy, naming the problem', async () => {
    const jws = await signPolicy({ id: 'acme', version: 0, expiresAt: '2026-07-01T00:00:00Z' }, org);
    await expect(verifyPolicyJws(jws, { jwks: { keys: [org.publicJwk] }, now: NOW })).rejects.toThrow(
      /version/,
    );
  });
});
