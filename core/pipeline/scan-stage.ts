import { isUtf8 } from 'node:buffer';
import { placeholderFor, type Detector, type Replacement } from '../detect/index.js';
import type { PseudonymVault } from '../pseudonym/index.js';
import { LlmgateError, PipelineError } from '../errors.js';
import { JsonSyntaxError } from './json-walk.js';
import { bodyTooLargeError, decodeContent } from './decode.js';
import { refuse } from './refuse.js';
import { scanJsonBody, scanTextBody, type ScanOutcome } from './scan-body.js';
import type { Dispatch, Exchange, ResponseHandler, Stage } from './types.js';
import { genericJsonAdapter } from '../providers/index.js';

export interface ScanStageOptions {
  readonly detector: Detector;
  /** Largest body scanned, after decompression. */
  readonly maxBodyBytes: number;
  /**
   * Where `pseudonymize` findings get their stand-ins. Without it they are redacted like `redact` ones
   * (fail closed: the original never leaves).
   */
  readonly pseudonyms?: PseudonymVault;
  /** The clock for the vault's expiry (default `Date.now`). */
  readonly now?: () => number;
}

/** Stand-ins for `pseudonymize` findings, placeholders for the rest. */
function replacementFor(options: ScanStageOptions): Replacement | undefined {
  const vault = options.pseudonyms;
  if (vault === undefined) return undefined;
  const now = options.now ?? Date.now;
  return (finding, value) =>
    (finding.action === 'pseudonymize' ? vault.standIn(finding.rule, value, now()) : undefined) ??
    placeholderFor(finding.rule);
}

type BodyFormat = 'json' | 'text' | 'unscannable';

/** A text body that is really JSON (first non-blank byte `{` or `[`) is held to JSON's rules. */
function startsLikeJson(body: Buffer): boolean {
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b;
  }
  return false;
}

/** JSON for anything JSON-ish or unlabelled, text for `text/*`, refused otherwise (fail closed). */
function bodyFormat(contentType: string | undefined): BodyFormat {
  if (contentType === undefined) return 'json';
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type === '' || type === 'application/json' || type.endsWith('+json') || type === 'application/x-ndjson')
    return 'json';
  if (type.startsWith('text/')) return 'text';
  return 'unscannable';
}

function unscannable(what: string, fix: string): PipelineError {
  return new PipelineError(
    'LG_PIPELINE_UNSCANNABLE',
    `llmgate cannot scan ${what}, so it does not forward it.`,
    {
      status: 415,
      rule: 'unscannable-body',
      fix,
    },
  );
}

async function scanExchange(
  exchange: Exchange,
  options: ScanStageOptions,
  replace: Replacement | undefined,
): Promise<void> {
  const raw = exchange.body;
  const adapter = exchange.match?.adapter ?? genericJsonAdapter;
  // The edge stops buffering an oversize body and hands it over empty, with the bytes it counted.
  if (exchange.requestBytes > options.maxBodyBytes) throw bodyTooLargeError(options.maxBodyBytes);
  if (raw.length === 0) {
    exchange.facts = adapter.requestFacts(exchange.url, new Map());
    return;
  }
  const encodingHeader = exchange.headers['content-encoding'];
  const decoded = await decodeContent(raw, encodingHeader, options.maxBodyBytes);
  // UTF-16/32 text is valid UTF-8 byte by byte (ASCII plus NULs) but hides every secret from the
  // detectors; raw NULs never occur in JSON or in real UTF-8 prose, so they mark such bodies.
  if (!isUtf8(decoded) || decoded.includes(0)) {
    throw unscannable('a body that is not UTF-8 text', 'Send JSON or text encoded as UTF-8.');
  }
  const contentType = exchange.headers['content-type'];
  const format = bodyFormat(contentType);
  if (format === 'unscannable') {
    throw unscannable(
      `a "${contentType ?? ''}" body`,
      'Send JSON or text; file uploads are not allowed through llmgate yet.',
    );
  }
  let outcome: ScanOutcome;
  if (format === 'json' || startsLikeJson(decoded)) {
    try {
      outcome = scanJsonBody(decoded, adapter, options.detector, replace);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      // What llmgate's parser rejects, a lenient upstream parser may still read (and unescape): refuse it
      // rather than guess. The message names only a byte offset, never content.
      throw new PipelineError(
        'LG_PIPELINE_UNSCANNABLE',
        `The request body is not valid JSON (${err.message}).`,
        {
          status: 400,
          rule: 'invalid-json',
          fix: 'Send one valid UTF-8 JSON document (no byte-order mark, NaN or trailing data).',
        },
      );
    }
  } else {
    outcome = scanTextBody(decoded, options.detector, replace);
  }
  exchange.facts = adapter.requestFacts(exchange.url, outcome.topLevel);
  for (const finding of outcome.findings) {
    exchange.rules.add(finding.rule);
    if (finding.action === 'redact' || finding.action === 'pseudonymize')
      exchange.redactions[finding.rule] = (exchange.redactions[finding.rule] ?? 0) + 1;
  }
  if (outcome.blocked !== undefined) {
    throw new PipelineError(
      'LG_PIPELINE_BLOCKED',
      `The request contains a ${outcome.blocked.category} that policy does not allow to leave this machine.`,
      { status: 403, rule: outcome.blocked.rule, fix: 'Remove it from the prompt and send again.' },
    );
  }
  if (outcome.changed) {
    exchange.decision = 'redact';
    exchange.body = outcome.body;
    delete exchange.headers['content-encoding'];
  }
  exchange.scannedText = outcome.changed ? outcome.body : decoded;
}

/** Decodes, scans and rewrites the request body; refuses what cannot be scanned. */
export function scanStage(options: ScanStageOptions): Stage {
  const replace = replacementFor(options);
  return (next: Dispatch) => (exchange: Exchange, handler: ResponseHandler) => {
    scanExchange(exchange, options, replace).then(
      () => next(exchange, handler),
      (err: unknown) => {
        if (err instanceof PipelineError) {
          refuse(exchange, handler, {
            status: err.status,
            rule: err.rule,
            code: err.code,
            reason: err.message,
            fix: err.fix,
          });
          return;
        }
        // An unexpected failure in scanning must never forward the body: refuse, keep the code.
        const code = LlmgateError.is(err) ? err.code : 'LG_PIPELINE_UNSCANNABLE';
        refuse(exchange, handler, {
          status: 500,
          rule: 'scan-failed',
          code,
          reason: 'llmgate could not scan this request, so it was not forwarded.',
          fix: 'Retry; if it persists, run `llmgate doctor` and report the request id.',
        });
      },
    );
  };
}
