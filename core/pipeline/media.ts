/**
 * Recognises binary media by its leading bytes, so that only real images, audio and video skip the
 * scanner. Anything else in a media field must be UTF-8 text (scanned) or it is refused.
 */
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** [offset, bytes] signatures of image, audio and video containers. */
const SIGNATURES: readonly (readonly [number, readonly number[]])[] = [
  [0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]], // PNG
  [0, [0xff, 0xd8, 0xff]], // JPEG
  [0, ascii('GIF8')], // GIF
  [8, ascii('WEBP')], // WebP (RIFF container)
  [8, ascii('WAVE')], // WAV (RIFF container)
  [8, ascii('AVI ')], // AVI (RIFF container)
  [0, ascii('ID3')], // MP3 with ID3 tag
  [0, ascii('OggS')], // Ogg (Vorbis, Opus)
  [0, ascii('fLaC')], // FLAC
  [4, ascii('ftyp')], // ISO BMFF: MP4, M4A, MOV, HEIC, AVIF
  [0, [0x1a, 0x45, 0xdf, 0xa3]], // Matroska, WebM
  [0, [0x49, 0x49, 0x2a, 0x00]], // TIFF, little-endian
  [0, [0x4d, 0x4d, 0x00, 0x2a]], // TIFF, big-endian
  [0, ascii('FORM')], // AIFF
];

function startsWith(bytes: Uint8Array, offset: number, signature: readonly number[]): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[offset + i] !== signature[i]) return false;
  return true;
}

export function isBinaryMedia(bytes: Uint8Array): boolean {
  // MPEG audio frames without a tag start with an 11-bit sync word.
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) return true;
  return SIGNATURES.some(([offset, signature]) => startsWith(bytes, offset, signature));
}
