import { describe, expect, test } from 'vitest';
import { drawPng, inspect } from '../src/world/media.ts';

/** The first bytes of each recognized format, padded to 64 bytes. */
function header(...parts: Array<string | number[]>): Buffer {
  const bytes = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));
  return Buffer.concat([bytes, Buffer.alloc(Math.max(0, 64 - bytes.length), 0x01)]);
}

const samples: ReadonlyArray<readonly [string, Buffer]> = [
  ['image/png', drawPng(2, 0, 0xffffff)],
  ['image/jpeg', header([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 2, 0, 3])],
  ['image/gif', header('GIF89a', [2, 0, 3, 0])],
  ['image/webp', header('RIFF', [56, 0, 0, 0], 'WEBPVP8X', [10, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 2, 0, 0])],
  ['image/webp', header('RIFF', [56, 0, 0, 0], 'WEBPVP8L', [10, 0, 0, 0, 0x2f, 1, 0x40, 0, 0])],
  ['audio/wav', header('RIFF', [56, 0, 0, 0], 'WAVEfmt ', [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0])],
  ['image/bmp', header('BM', Array(16).fill(0), [2, 0, 0, 0, 3, 0, 0, 0])],
  ['audio/amr', header('#!AMR\n')],
  ['audio/silk', header([2], '#!SILK_V3')],
  ['audio/ogg', header('OggS')],
  ['audio/flac', header('fLaC')],
  ['audio/mpeg', header('ID3')],
  ['audio/mp4', header([0, 0, 0, 32], 'ftypM4A ')],
  ['video/mp4', header([0, 0, 0, 32], 'ftypisom')],
  ['video/webm', header([0x1a, 0x45, 0xdf, 0xa3])],
];

/** `data` in a buffer of its own, ending where the data ends (as files read from disk are). */
function alone(data: Buffer): Buffer {
  const copy = Buffer.from(new ArrayBuffer(data.length));
  data.copy(copy);
  return copy;
}

describe('inspect', () => {
  test.each(samples)('recognizes %s', (mime, data) => {
    expect(inspect(alone(data)).mime).toBe(mime);
  });

  test.each(samples)('reads no further than the bytes there are: every prefix of %s', (_mime, data) => {
    for (let length = 0; length <= data.length; length++) {
      const info = inspect(alone(data.subarray(0, length)));
      expect(typeof info.mime).toBe('string');
    }
  });
});
