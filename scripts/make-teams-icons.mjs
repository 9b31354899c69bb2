#!/usr/bin/env node
// Draws the two icons of the Teams app package and writes them as PNG files:
//   teams-app/color.png    192x192, a rounded square in #4a154b with a white "A"
//   teams-app/outline.png   32x32, the same "A" in white on a transparent background
// Plain Node: the pixels are computed here, deflated with node:zlib, and the PNG chunks
// (with their CRC32) are written by hand. Run: node scripts/make-teams-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, 'teams-app');

// ---------------------------------------------------------------- PNG encoding

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** rgba: width*height*4 bytes, row by row. Writes 8-bit RGBA (color type 6), no interlace. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // color type: truecolor with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type "None" for every scanline
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- shapes (unit square, y down)

function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The "A": two slanted strokes meeting at a rounded apex, a crossbar, flat feet. u, v in [0, 1]. */
function insideGlyph(u, v) {
  if (v < 0 || v > 1 || u < 0 || u > 1) return false;
  const half = 0.09; // half the stroke width
  const apexX = 0.5;
  const apexY = half; // the rounded apex just touches the top
  const leftLeg = distanceToSegment(u, v, half, 1, apexX, apexY) <= half;
  const rightLeg = distanceToSegment(u, v, 1 - half, 1, apexX, apexY) <= half;
  const crossbar = v >= 0.62 && v <= 0.62 + 1.6 * half && u >= 0.25 && u <= 0.75;
  return leftLeg || rightLeg || crossbar;
}

/** A rounded square filling the unit square, corner radius r. */
function insideRoundedSquare(u, v, r) {
  if (u < 0 || u > 1 || v < 0 || v > 1) return false;
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  return Math.hypot(u - cx, v - cy) <= r;
}

/** Fraction of the pixel (x, y) covered by `inside`, sampled on an n x n grid. */
function coverage(size, x, y, inside, n = 4) {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (inside((x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size)) hits++;
    }
  }
  return hits / (n * n);
}

// ---------------------------------------------------------------- the two icons

const BRAND = [0x4a, 0x15, 0x4b];

/** 192x192: the rounded square in the brand colour, the white "A" in the central ~96px. */
function colorIcon() {
  const size = 192;
  const glyphBox = { x: 0.24, y: 0.22, w: 0.52, h: 0.56 }; // in icon units
  const inGlyph = (u, v) => insideGlyph((u - glyphBox.x) / glyphBox.w, (v - glyphBox.y) / glyphBox.h);
  const inBackground = (u, v) => insideRoundedSquare(u, v, 0.2);
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const bg = coverage(size, x, y, inBackground);
      const fg = coverage(size, x, y, (u, v) => inBackground(u, v) && inGlyph(u, v));
      const o = (y * size + x) * 4;
      if (bg === 0) continue; // fully transparent corner
      // white over brand colour, weighted by the glyph's share of the covered part
      const w = fg / bg;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(BRAND[c] * (1 - w) + 255 * w);
      rgba[o + 3] = Math.round(255 * bg);
    }
  }
  return encodePng(size, size, rgba);
}

/** 32x32: the "A" alone, white where at least half a pixel is covered, fully transparent elsewhere. */
function outlineIcon() {
  const size = 32;
  const margin = 2 / size; // Teams shows the outline small: let the glyph use nearly the whole box
  const inGlyph = (u, v) => insideGlyph((u - margin) / (1 - 2 * margin), (v - margin) / (1 - 2 * margin));
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (coverage(size, x, y, inGlyph, 8) < 0.5) continue; // stays 0,0,0,0: fully transparent
      rgba.fill(255, (y * size + x) * 4, (y * size + x) * 4 + 4); // opaque white
    }
  }
  return encodePng(size, size, rgba);
}

mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, 'color.png'), colorIcon());
writeFileSync(resolve(outDir, 'outline.png'), outlineIcon());
console.log(`wrote ${resolve(outDir, 'color.png')} and ${resolve(outDir, 'outline.png')}`);
