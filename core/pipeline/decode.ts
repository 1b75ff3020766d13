import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { PipelineError } from '../errors.js';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/** A response's `content-encoding`, trimmed and lower-cased; absent or empty is `identity` (uncompressed). */
export function contentEncoding(headers: Record<string, string | string[] | undefined>): string {
  const encoding = String(headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  return encoding === '' ? 'identity' : encoding;
}

function tooLarge(limit: number, cause?: unknown, decompressed = false): PipelineError {
  return new PipelineError(
    'LG_PIPELINE_TOO_LARGE',
    `The request body is larger than ${limit} bytes${decompressed ? ' once decompressed' : ''}.`,
    {
      status: 413,
      rule: 'body-too-large',
      fix: 'Send a smaller request, or raise proxy.maxBodyBytes in config.json.',
    },
    { cause },
  );
}

function undecodable(encoding: string, cause?: unknown): PipelineError {
  return new PipelineError(
    'LG_PIPELINE_BAD_ENCODING',
    `The request body uses Content-Encoding "${encoding}", which llmgate cannot decode, so it cannot be scanned.`,
    { status: 415, rule: 'unscannable-body', fix: 'Send the body uncompressed or with gzip, deflate or br.' },
    { cause },
  );
}

async function decodeOne(body: Buffer, encoding: string, limit: number): Promise<Buffer> {
  const options = { maxOutputLength: limit };
  try {
    switch (encoding) {
      case 'gzip':
      case 'x-gzip':
        return await gunzip(body, options);
      case 'deflate':
        // Some clients send raw deflate under this name; zlib-wrapped is the standard.
        try {
          return await inflate(body, options);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw err;
          return await inflateRaw(body, options);
        }
      case 'br':
        return await brotli(body, options);
      default:
        throw undecodable(encoding);
    }
  } catch (err) {
    if (err instanceof PipelineError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw tooLarge(limit, err, true);
    }
    throw undecodable(encoding, err);
  }
}

/**
 * A streaming decoder for one response `Content-Encoding` (the tap reads compressed responses on the
 * side); undefined for encodings llmgate cannot decode.
 */
export function createDecompressor(
  encoding: string,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Decodes a `Content-Encoding` chain (applied in order, so undone in reverse) with a cap on the
 * decompressed size, so a compression bomb costs at most `limit` bytes.
 */
export async function decodeContent(
  body: Buffer,
  contentEncoding: string | undefined,
  limit: number,
): Promise<Buffer> {
  if (contentEncoding === undefined) return body;
  const encodings = contentEncoding
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  let out = body;
  for (let i = encodings.length - 1; i >= 0; i--) out = await decodeOne(out, encodings[i]!, limit);
  return out;
}

export { tooLarge as bodyTooLargeError };
