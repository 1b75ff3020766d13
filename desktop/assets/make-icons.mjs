/**
 * Draws the tray icons (a filled disc in the state's colour with a lighter ring, 32×32 and @2x) as PNGs:
 * `node desktop/assets/make-icons.mjs`. Hand-written because four flat discs do not justify an image library.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const COLOURS = {
  protected: [26, 127, 55],
  attention: [179, 89, 0],
  'signed-out': [179, 89, 0],
  down: [198, 40, 40],
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, [r, g, b], hollow) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c) / (size / 2);
      const inside = d <= 0.9 && !(hollow && d < 0.55);
      const i = y * (size * 4 + 1) + 1 + x * 4;
      raw[i] = r;
      raw[i + 1] = g;
      raw[i + 2] = b;
      raw[i + 3] = inside ? 255 : 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const dir = new URL('.', import.meta.url);
for (const [state, colour] of Object.entries(COLOURS)) {
  // Signed out and down are hollow, so the states differ by shape as well as colour.
  const hollow = state === 'signed-out' || state === 'down';
  writeFileSync(new URL(`tray-${state}.png`, dir), png(16, colour, hollow));
  writeFileSync(new URL(`tray-${state}@2x.png`, dir), png(32, colour, hollow));
}
