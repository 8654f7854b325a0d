// Draws the tray icons into assets/ (run by hand when the shapes change; the PNGs are kept in
// the repository). Three states, each as a macOS template image (black + alpha; the menubar
// tints it) and as a coloured image for Windows and Linux, at 1x (16 px) and 2x (32 px).
//   ok:      a ring with a dot (an open eye)
//   warning: a triangle with "!" cut out
//   error:   a disc with "×" cut out
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
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

/** RGBA pixels (size*size*4) -> PNG bytes. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const dist = (x, y, cx, cy) => Math.hypot(x - cx, y - cy);
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
function nearSegment(x, y, ax, ay, bx, by, halfWidth) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return dist(x, y, ax + t * (bx - ax), ay + t * (by - ay)) <= halfWidth;
}
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry);
  const d1 = s(x, y, ax, ay, bx, by);
  const d2 = s(x, y, bx, by, cx, cy);
  const d3 = s(x, y, cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** Shapes in unit coordinates (0..1, y down): true where the icon is ink. */
const SHAPES = {
  ok: (x, y) => {
    const r = dist(x, y, 0.5, 0.5);
    return Math.abs(r - 0.36) <= 0.075 || r <= 0.15;
  },
  warning: (x, y) => {
    if (!inTriangle(x, y, [0.5, 0.07], [0.96, 0.9], [0.04, 0.9])) return false;
    const bar = inRect(x, y, 0.435, 0.34, 0.565, 0.63);
    const dot = dist(x, y, 0.5, 0.76) <= 0.07;
    return !(bar || dot);
  },
  error: (x, y) => {
    if (dist(x, y, 0.5, 0.5) > 0.46) return false;
    const cross = nearSegment(x, y, 0.33, 0.33, 0.67, 0.67, 0.07) || nearSegment(x, y, 0.67, 0.33, 0.33, 0.67, 0.07);
    return !cross;
  },
};

const COLOURS = { ok: [0x1f, 0x9d, 0x55], warning: [0xe0, 0x9b, 0x00], error: [0xd0, 0x34, 0x2c] };
const SAMPLES = 8;

function draw(shape, size, [r, g, b]) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          if (shape((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) hits++;
        }
      }
      const i = (py * size + px) * 4;
      rgba[i] = r;
      rgba[i + 1] = g;
      rgba[i + 2] = b;
      rgba[i + 3] = Math.round((255 * hits) / (SAMPLES * SAMPLES));
    }
  }
  return encodePng(size, rgba);
}

for (const [level, shape] of Object.entries(SHAPES)) {
  for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
    writeFileSync(path.join(assets, `tray-${level}Template${suffix}.png`), draw(shape, size, [0, 0, 0]));
    writeFileSync(path.join(assets, `tray-${level}${suffix}.png`), draw(shape, size, COLOURS[level]));
  }
}
// The app icon for packaging and the window: the ok shape, large.
writeFileSync(path.join(assets, 'icon.png'), draw(SHAPES.ok, 512, COLOURS.ok));
console.log(`tray icons written to ${assets}`);
