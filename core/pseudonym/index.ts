/**
 * Reversible pseudonyms: the stand-in grammar, the in-memory vault that maps originals to stand-ins and
 * back, and restoring originals in whole strings and in streamed answers. Pure (values in, values out;
 * the caller passes the key and the clock). The only import surface of `core/pseudonym/`.
 *
 *   const vault = createVault({ key: randomBytes(32), idleTtlMs: 4 * 3600_000, maxEntries: 100_000 });
 *   const standIn = vault.standIn('email', 'jane.doe@acme.com', Date.now());   // [[email_k7q2m9wd]]
 *   restoreText(`mail ${standIn}`, (s) => vault.original(s, Date.now()));      // mail jane.doe@acme.com
 */
export {
  ID_ALPHABET,
  MAX_STAND_IN_LENGTH,
  STAND_IN_OPENING,
  formatStandIn,
  isStandIn,
  matchStandIn,
} from './stand-in.js';
export { createVault, type PseudonymVault, type VaultOptions } from './vault.js';
export { StreamRestorer, mayHoldStandIn, restoreText, type Context, type Lookup } from './restore.js';
export { contextForPath } from './fields.js';
export {
  messageRewriter,
  restoreDeep,
  type MessageRewriter,
  type Rewritten,
  type RewriterOptions,
  type SseMessage,
} from './streams.js';
