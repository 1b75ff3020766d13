/**
 * `llmgate audit verify`: re-checks the chain and the signed checkpoints of an audit database, read-only
 * (it works with or without the daemon). It says which event was edited, deleted, inserted or moved:
 *
 * - edited: the event's content no longer hashes to its `hash` (or its columns disagree with its JSON);
 * - reordered: an event names as its predecessor an event stored after it;
 * - inserted: events that no later event names as its predecessor, sitting where the chain skips them;
 * - deleted: an event's predecessor is nowhere in the log (or a checkpoint covers events that are gone).
 *
 * An attacker who rewrites every hash after an edit keeps the chain consistent; the checkpoints, signed
 * with the device key, catch that (their hash no longer matches the event at their `seq`).
 */
import { compactVerify, calculateJwkThumbprint, decodeProtectedHeader, importJWK } from 'jose';
import { z } from 'zod';
import { eventHash } from './chain.js';
import { auditEventSchema, type AuditEvent } from './event.js';
import { openDatabase } from './store.js';

export type TamperKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'checkpoint';

export interface VerifyProblem {
  readonly kind: TamperKind;
  /** The event (or checkpoint) concerned, when there is one. */
  readonly seq: number | null;
  readonly id: string | null;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly checkpoints: number;
  /** `seq` of the newest event covered by a valid checkpoint (0 when none). */
  readonly checkpointedSeq: number;
  /** Thumbprints of the keys that signed the checkpoints. */
  readonly signers: string[];
  readonly problems: VerifyProblem[];
}

export const checkpointPayloadSchema = z.strictObject({
  typ: z.literal('llmgate.audit.checkpoint'),
  v: z.literal(1),
  device: z.string(),
  seq: z.number().int().positive(),
  hash: z.string(),
  time: z.string(),
});
export type CheckpointPayload = z.infer<typeof checkpointPayloadSchema>;

const jwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
});

interface Row {
  seq: number;
  id: string;
  time: string;
  event: string;
  prev_hash: string | null;
  hash: string | null;
}

/** What is kept per event once it was checked on its own: not its JSON, so long logs fit in memory. */
interface Parsed {
  readonly row: Pick<Row, 'seq' | 'id'>;
  /** The hash the chain links by: what the row claims. */
  readonly hash: string | null;
  readonly prevHash: string | null;
}

export interface VerifyOptions {
  readonly file: string;
  /** The device key's thumbprint; when given, checkpoints signed by another key are problems. */
  readonly expectedSigner?: string;
}

export async function verifyAuditLog(options: VerifyOptions): Promise<VerifyReport> {
  const db = openDatabase(options.file, true);
  try {
    const rows = db
      .prepare('SELECT seq, id, time, event, prev_hash, hash FROM events ORDER BY seq')
      .iterate() as Iterable<Row>;
    // A log from before the chain (schema 1) has neither table until the daemon has opened it once.
    const has = (table: string): boolean =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const checkpoints = (
      has('checkpoints') ? db.prepare('SELECT seq, hash, time, jws FROM checkpoints ORDER BY seq').all() : []
    ) as { seq: number; hash: string; time: string; jws: string }[];
    const meta = new Map(
      (has('meta') ? db.prepare('SELECT key, value FROM meta').all() : ([] as unknown[])).map((m) => {
        const { key, value } = m as { key: string; value: string };
        return [key, value];
      }),
    );
    const anchorSeq = Number(meta.get('anchor.seq') ?? 0);
    const anchorHash = meta.get('anchor.hash') ?? null;
    const problems: VerifyProblem[] = [];
    // Checkpoint problems name the checkpoint's seq and no event id.
    const problem = (
      kind: TamperKind,
      r: { seq: number; id: string | null } | null,
      message: string,
    ): void => {
      problems.push({ kind, seq: r?.seq ?? null, id: r?.id ?? null, message });
    };

    // 1. Each event on its own: its JSON parses, matches its columns and hashes to its hash.
    const parsed: Parsed[] = [];
    const check = (row: Row): Parsed => {
      let event: AuditEvent | undefined;
      try {
        const result = auditEventSchema.safeParse(JSON.parse(row.event));
        if (result.success) event = result.data;
      } catch {
        event = undefined;
      }
      if (event === undefined) {
        problem('edited', row, `event ${row.seq} (${row.id}) is not a valid audit event any more`);
        return { row: { seq: row.seq, id: row.id }, hash: row.hash, prevHash: row.prev_hash };
      }
      if (
        event.id !== row.id ||
        event.time !== row.time ||
        event.hash !== row.hash ||
        event.prevHash !== row.prev_hash ||
        eventHash(event) !== event.hash
      ) {
        problem(
          'edited',
          row,
          `event ${row.seq} (${row.id}) was edited: its content does not match its hash`,
        );
      }
      return { row: { seq: row.seq, id: row.id }, hash: event.hash, prevHash: event.prevHash };
    };
    for (const row of rows) parsed.push(check(row));

    // 2. The links. Where one breaks, find out why from where the named predecessor actually is.
    const indexByHash = new Map<string, number>();
    parsed.forEach((p, i) => {
      if (p.hash !== null) indexByHash.set(p.hash, i);
    });
    const named = new Set(parsed.map((p) => p.prevHash).filter((h): h is string => h !== null));
    const explained = new Set<number>();
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i]!;
      const expected = i === 0 ? anchorHash : parsed[i - 1]!.hash;
      if (p.prevHash === expected) continue;
      if (i === 0 && p.prevHash !== null && anchorHash === null) {
        problem(
          'deleted',
          p.row,
          `events before ${p.row.seq} (${p.row.id}) were deleted: the log starts mid-chain`,
        );
        continue;
      }
      const at = p.prevHash === null ? -1 : (indexByHash.get(p.prevHash) ?? -1);
      if (at > i) {
        explained.add(i);
        explained.add(at);
        const other = parsed[at]!.row;
        problem(
          'reordered',
          p.row,
          `event ${p.row.seq} (${p.row.id}) was moved: it follows ${other.id}, which is stored after it (seq ${other.seq})`,
        );
      } else if (at >= 0 && at < i - 1) {
        // Rows between the named predecessor and this one are not part of the chain.
        for (let j = at + 1; j < i; j++) {
          if (explained.has(j)) continue;
          const extra = parsed[j]!;
          if (extra.hash !== null && named.has(extra.hash)) {
            explained.add(j);
            problem(
              'reordered',
              extra.row,
              `event ${extra.row.seq} (${extra.row.id}) was moved: it is stored out of chain order`,
            );
          } else {
            explained.add(j);
            problem(
              'inserted',
              extra.row,
              `event ${extra.row.seq} (${extra.row.id}) was inserted: it is not in the chain`,
            );
          }
        }
      } else if (at === -1 && !explained.has(i)) {
        const before = i === 0 ? null : parsed[i - 1]!.row;
        problem(
          'deleted',
          p.row,
          before === null
            ? `events before ${p.row.seq} (${p.row.id}) were deleted`
            : `events between ${before.seq} (${before.id}) and ${p.row.seq} (${p.row.id}) were deleted`,
        );
      }
    }

    // 3. Checkpoints: a valid signature, and the event at their seq still has the hash they signed.
    const bySeq = new Map(parsed.map((p) => [p.row.seq, p]));
    const lastSeq = parsed.at(-1)?.row.seq ?? anchorSeq;
    const signers = new Set<string>();
    let checkpointedSeq = 0;
    let signedBeyondEnd = 0;
    for (const cp of checkpoints) {
      const fake = { seq: cp.seq, id: null };
      let payload: CheckpointPayload;
      try {
        const header = decodeProtectedHeader(cp.jws);
        const jwk = jwkSchema.parse(header.jwk);
        const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
        if (options.expectedSigner !== undefined && thumbprint !== options.expectedSigner) {
          problem('checkpoint', fake, `checkpoint ${cp.seq} is signed by another key (${thumbprint})`);
          continue;
        }
        const { payload: bytes } = await compactVerify(cp.jws, await importJWK(jwk, 'ES256'), {
          algorithms: ['ES256'],
        });
        payload = checkpointPayloadSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
        signers.add(thumbprint);
      } catch {
        problem('checkpoint', fake, `checkpoint ${cp.seq} has no valid signature`);
        continue;
      }
      if (payload.seq !== cp.seq || payload.hash !== cp.hash) {
        problem(
          'checkpoint',
          fake,
          `checkpoint ${cp.seq} was edited: its row does not match what was signed`,
        );
        continue;
      }
      if (cp.seq === anchorSeq && cp.hash === anchorHash) continue;
      const target = bySeq.get(cp.seq);
      if (target === undefined) {
        // A cut tail is one deletion however many checkpoints it covered: reported once, after the loop.
        if (cp.seq > lastSeq) signedBeyondEnd = Math.max(signedBeyondEnd, cp.seq);
        else if (cp.seq > anchorSeq)
          problem('deleted', fake, `event ${cp.seq}, signed in a checkpoint, was deleted`);
        continue;
      }
      if (target.hash !== payload.hash) {
        problem(
          explained.size > 0 ? 'checkpoint' : 'edited',
          target.row,
          `event ${cp.seq} (${target.row.id}) is not the event checkpoint ${cp.seq} signed: the chain was rewritten`,
        );
        continue;
      }
      checkpointedSeq = Math.max(checkpointedSeq, cp.seq);
    }
    if (signedBeyondEnd > 0) {
      problem(
        'deleted',
        { seq: signedBeyondEnd, id: null },
        `events up to seq ${signedBeyondEnd} were signed, but the log ends at seq ${lastSeq}`,
      );
    }
    return {
      ok: problems.length === 0,
      events: parsed.length,
      checkpoints: checkpoints.length,
      checkpointedSeq,
      signers: [...signers],
      problems,
    };
  } finally {
    db.close();
  }
}
