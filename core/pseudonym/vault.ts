/**
 * The pseudonym vault: original ⇄ stand-in, in memory only. Pure apart from HMAC: the caller passes the key
 * (random per daemon, never written anywhere) and `now` (so expiry is testable with a frozen clock).
 *
 * - Stable: the stand-in is an HMAC of rule and value under the daemon's key, so the same value gets the
 *   same stand-in on every turn of a conversation (clients resend history with the originals), and again
 *   after its entry expired, for as long as the daemon runs. Without the key nobody can tell which value a
 *   stand-in stands for, or test a guess.
 * - Collision-free: an id that the reverse map already holds for another value is extended, two
 *   characters at a time, up to MAX_ID_LENGTH (40 bits at first, 80 at most). An expired entry's id is
 *   free again, so an old answer quoting it could restore to a newer value whose HMAC starts alike:
 *   starting at 40 bits (not 30) makes that a one in a trillion chance per pair rather than one in a
 *   billion.
 * - Bounded: entries expire `idleTtlMs` after their last use (issuing or restoring) and the least recently
 *   used go first beyond `maxEntries`. The map is one insertion-ordered Map, so the oldest entry is always
 *   its first: expiry and eviction cost O(1) per entry removed.
 */
import { createHmac } from 'node:crypto';
import { CodedTypeError } from '../errors.js';
import { MAX_ID_LENGTH, MIN_ID_LENGTH, base32, formatStandIn } from './stand-in.js';

export interface VaultOptions {
  /** HMAC key, at least 32 random bytes, held only in memory. */
  readonly key: Uint8Array;
  /** An entry not used for this long is forgotten. */
  readonly idleTtlMs: number;
  /** Most entries held; the least recently used go first. */
  readonly maxEntries: number;
}

interface Entry {
  readonly standIn: string;
  readonly original: string;
  /** `rule \0 value`: the forward map's key. */
  readonly valueKey: string;
  lastUsed: number;
}

export interface PseudonymVault {
  /**
   * The stand-in for `value` found by `rule` (kebab-case id), issued now or earlier; `undefined` only if
   * every id length clashes with another value (never seen in practice: the caller then redacts).
   */
  standIn(rule: string, value: string, now: number): string | undefined;
  /** The original behind a stand-in this vault issued and still holds, else `undefined`. */
  original(standIn: string, now: number): string | undefined;
  /** Entries held after dropping expired ones. */
  size(now: number): number;
  /** Forgets everything (daemon stop). */
  clear(): void;
}

export function createVault(options: VaultOptions): PseudonymVault {
  const { key, idleTtlMs, maxEntries } = options;
  if (!(key instanceof Uint8Array) || key.length < 32)
    throw new CodedTypeError('options.key must be at least 32 bytes');
  if (!Number.isFinite(idleTtlMs) || idleTtlMs <= 0)
    throw new CodedTypeError('options.idleTtlMs must be a positive number');
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new CodedTypeError('options.maxEntries must be a positive integer');

  // Both maps hold the same entries; `byStandIn`'s order is least recently used first.
  const byValue = new Map<string, Entry>();
  const byStandIn = new Map<string, Entry>();

  const drop = (entry: Entry): void => {
    byStandIn.delete(entry.standIn);
    byValue.delete(entry.valueKey);
  };
  const touch = (entry: Entry, now: number): void => {
    entry.lastUsed = now;
    byStandIn.delete(entry.standIn);
    byStandIn.set(entry.standIn, entry);
  };
  const expire = (now: number): void => {
    for (const entry of byStandIn.values()) {
      if (now - entry.lastUsed <= idleTtlMs && byStandIn.size <= maxEntries) break;
      drop(entry);
    }
  };

  return {
    standIn(rule, value, now) {
      const valueKey = `${rule}\0${value}`;
      const known = byValue.get(valueKey);
      if (known !== undefined && now - known.lastUsed <= idleTtlMs) {
        touch(known, now);
        return known.standIn;
      }
      if (known !== undefined) drop(known);
      const digest = createHmac('sha256', key).update(valueKey, 'utf8').digest();
      for (let length = MIN_ID_LENGTH; length <= MAX_ID_LENGTH; length += 2) {
        const standIn = formatStandIn(rule, base32(digest, length));
        const other = byStandIn.get(standIn);
        if (other !== undefined && now - other.lastUsed <= idleTtlMs) continue;
        if (other !== undefined) drop(other);
        const entry: Entry = { standIn, original: value, valueKey, lastUsed: now };
        byStandIn.set(standIn, entry);
        byValue.set(valueKey, entry);
        expire(now);
        return standIn;
      }
      return undefined;
    },
    original(standIn, now) {
      const entry = byStandIn.get(standIn);
      if (entry === undefined) return undefined;
      if (now - entry.lastUsed > idleTtlMs) {
        drop(entry);
        return undefined;
      }
      touch(entry, now);
      return entry.original;
    },
    size(now) {
      expire(now);
      return byStandIn.size;
    },
    clear() {
      byStandIn.clear();
      byValue.clear();
    },
  };
}
