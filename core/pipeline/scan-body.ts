/**
 * Scans a request body and rewrites only what must change. A JSON body is walked string by string (after
 * JSON unescaping, so `\u0041KIA...` is still found); each redacted string is re-encoded in place and every
 * other byte is kept. Anything not valid UTF-8 is refused by the caller, never forwarded unscanned.
 */
import { isUtf8 } from 'node:buffer';
import type { Category, Detector, Finding, Replacement } from '../detect/index.js';
import { redact } from '../detect/index.js';
import type { Adapter, FieldKind, JsonPath } from '../providers/index.js';
import { PipelineError } from '../errors.js';
import { JsonSyntaxError, walkJson, type JsonScalar } from './json-walk.js';
import { isBinaryMedia } from './media.js';

export interface BodyFinding {
  readonly rule: string;
  readonly category: Category;
  readonly action: Finding['action'];
}

export interface ScanOutcome {
  /** The body to forward: the same Buffer when nothing changed. */
  readonly body: Buffer;
  readonly changed: boolean;
  readonly findings: readonly BodyFinding[];
  /** The first finding whose action is `block`, if any. */
  readonly blocked: BodyFinding | undefined;
  readonly topLevel: ReadonlyMap<string, JsonScalar>;
}

interface Edit {
  start: number;
  end: number;
  replacement: string;
}

const MAX_DEPTH = 256;
/** `data:<type>;base64,<payload>` or a bare base64 payload. Linear: one character class, no nesting. */
const DATA_URL_PREFIX = /^data:[a-z0-9.+-]{1,64}\/[a-z0-9.+-]{1,128}(?:;[a-z0-9=.+-]{1,64}){0,4};base64,/i;
const BASE64_BODY = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

/**
 * Bare base64 shorter than this is scanned as text: real media is far longer, while a token that happens
 * to be base64-shaped (in a field that can also hold text, like Anthropic's `source.data`) is not.
 */
const MIN_BARE_MEDIA_CHARS = 256;

/** Media is skipped only when it really is base64: a URL or text in a media field is scanned. */
export function isBase64Media(value: string): boolean {
  const prefix = DATA_URL_PREFIX.exec(value);
  const payload = prefix === null ? value : value.slice(prefix[0].length);
  if (prefix === null && payload.length < MIN_BARE_MEDIA_CHARS) return false;
  return BASE64_BODY.test(payload);
}

class Collector {
  readonly findings: BodyFinding[] = [];
  blocked: BodyFinding | undefined;
  private lastTopLevelReplacement: string | undefined;

  constructor(
    private readonly detector: Detector,
    private readonly replace: Replacement | undefined,
  ) {}

  /** Scans one decoded string; returns its redacted form, or undefined when nothing changed. */
  text(value: string): string | undefined {
    if (value.length === 0) return undefined;
    const found = this.detector.scan(value);
    if (found.length === 0) return undefined;
    for (const f of found) {
      const entry = { rule: f.rule, category: f.category, action: f.action };
      this.findings.push(entry);
      if (f.action === 'block' && this.blocked === undefined) this.blocked = entry;
    }
    return redact(value, found, this.replace);
  }

  /**
   * A media field. Base64 that decodes to UTF-8 text (a text file sent as an attachment) is scanned and,
   * if redacted, re-encoded; images, audio and video (recognised by their leading bytes) pass untouched;
   * any other binary (PDF, Office, UTF-16 text) is refused; anything that is not base64 is scanned as text.
   */
  media(value: string): string | undefined {
    if (!isBase64Media(value)) {
      // Not media-shaped: scan it as text; a short bare base64 value may still be a small text file.
      const asText = this.text(value);
      if (asText !== undefined || !BASE64_BODY.test(value)) return asText;
    }
    const prefix = DATA_URL_PREFIX.exec(value)?.[0] ?? '';
    const bytes = Buffer.from(prefix === '' ? value : value.slice(prefix.length), 'base64');
    if (!isUtf8(bytes) || bytes.includes(0)) {
      if (isBinaryMedia(bytes)) return undefined;
      throw new PipelineError(
        'LG_PIPELINE_UNSCANNABLE',
        'The request has an attachment that is neither an image, audio or video nor UTF-8 text, so llmgate cannot scan it and does not forward it.',
        {
          status: 415,
          rule: 'unscannable-body',
          fix: 'Send images, audio or UTF-8 text; documents such as PDF or Office files cannot be scanned yet.',
        },
      );
    }
    const redacted = this.text(bytes.toString('utf8'));
    return redacted === undefined ? undefined : prefix + Buffer.from(redacted, 'utf8').toString('base64');
  }

  /** JSON inside a string (tool-call arguments): scan its strings; fall back to text if it does not parse. */
  embeddedJson(value: string): string | undefined {
    const inner = Buffer.from(value, 'utf8');
    let edits: Edit[];
    try {
      edits = this.walk(inner, () => 'text');
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      return this.text(value);
    }
    return edits.length === 0 ? undefined : applyEdits(inner, edits).toString('utf8');
  }

  walk(
    buf: Buffer,
    kindOf: (path: JsonPath) => FieldKind,
    onTop?: (k: string, v: JsonScalar) => void,
  ): Edit[] {
    const edits: Edit[] = [];
    walkJson(buf, {
      maxDepth: MAX_DEPTH,
      onTopLevelScalar:
        onTop === undefined
          ? undefined
          : (key, value) => {
              onTop(key, typeof value === 'string' ? (this.lastTopLevelReplacement ?? value) : value);
              this.lastTopLevelReplacement = undefined;
            },
      onString: (visit) => {
        let replacement: string | undefined;
        if (visit.isKey) {
          replacement = this.text(visit.value);
        } else {
          const kind = kindOf(visit.path);
          replacement =
            kind === 'media'
              ? this.media(visit.value)
              : kind === 'embedded-json'
                ? this.embeddedJson(visit.value)
                : this.text(visit.value);
          // Top-level facts (the model name) must reflect what was sent, never a redacted original.
          if (visit.path.length === 1) this.lastTopLevelReplacement = replacement;
        }
        if (replacement !== undefined) {
          // Placeholders and stand-ins need no escaping, so a string that had no escapes stays valid as it
          // is; only one that had escapes is re-encoded (and so may change its escape style).
          const encoded = visit.escaped ? JSON.stringify(replacement) : `"${replacement}"`;
          edits.push({ start: visit.start, end: visit.end, replacement: encoded });
        }
      },
    });
    return edits;
  }
}

function applyEdits(buf: Buffer, edits: readonly Edit[]): Buffer {
  // One allocation, each piece copied once.
  let length = buf.length;
  for (const edit of edits) length += Buffer.byteLength(edit.replacement) - (edit.end - edit.start);
  const out = Buffer.allocUnsafe(length);
  let cursor = 0;
  let at = 0;
  for (const edit of edits) {
    at += buf.copy(out, at, cursor, edit.start);
    at += out.write(edit.replacement, at, 'utf8');
    cursor = edit.end;
  }
  buf.copy(out, at, cursor);
  return out;
}

/**
 * Scans a JSON body. Throws `JsonSyntaxError` when it is not one valid JSON document (the caller refuses
 * it). `replace` gives the text for each finding (default: its `[REDACTED:<rule>]` placeholder).
 */
export function scanJsonBody(
  body: Buffer,
  adapter: Pick<Adapter, 'fieldKind'>,
  detector: Detector,
  replace?: Replacement,
): ScanOutcome {
  const collector = new Collector(detector, replace);
  const topLevel = new Map<string, JsonScalar>();
  const edits = collector.walk(
    body,
    (path) => adapter.fieldKind(path),
    (key, value) => topLevel.set(key, value),
  );
  const changed = edits.length > 0;
  return {
    body: changed ? applyEdits(body, edits) : body,
    changed,
    findings: collector.findings,
    blocked: collector.blocked,
    topLevel,
  };
}

/** Scans a body as one text (plain text, or JSON that did not parse). */
export function scanTextBody(body: Buffer, detector: Detector, replace?: Replacement): ScanOutcome {
  const collector = new Collector(detector, replace);
  const redacted = collector.text(body.toString('utf8'));
  return {
    body: redacted === undefined ? body : Buffer.from(redacted, 'utf8'),
    changed: redacted !== undefined,
    findings: collector.findings,
    blocked: collector.blocked,
    topLevel: new Map(),
  };
}
