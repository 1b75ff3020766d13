/** The signed-in session as kept in the secret store: one JSON entry, validated when read back. */
import { z } from 'zod';
import { userClaimsSchema } from './idp.js';
import type { SecretStore } from './secret-store.js';

export const sessionSchema = z.strictObject({
  issuer: z.string(),
  clientId: z.string(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  idToken: z.string().min(1).optional(),
  /** Milliseconds since the epoch. */
  expiresAt: z.number(),
  tokenType: z.string(),
  scope: z.string().optional(),
  claims: userClaimsSchema,
  /** The thumbprint of the device key the tokens are bound to. */
  jkt: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

const SESSION_ENTRY = 'session';

export async function loadSession(store: SecretStore): Promise<Session | undefined> {
  const text = await store.get(SESSION_ENTRY);
  if (text === undefined) return undefined;
  try {
    return sessionSchema.parse(JSON.parse(text));
  } catch {
    // Unreadable (an older format): treated as signed out; never echoed, it holds tokens.
    return undefined;
  }
}

export async function saveSession(store: SecretStore, session: Session): Promise<void> {
  await store.set(SESSION_ENTRY, JSON.stringify(session));
}

export async function deleteSession(store: SecretStore): Promise<void> {
  await store.delete(SESSION_ENTRY);
}
