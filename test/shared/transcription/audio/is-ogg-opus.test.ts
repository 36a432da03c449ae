import { describe, expect, it } from 'vitest';
import { isOggOpus } from '../../../../shared/transcription/audio/is-ogg-opus.ts';

/** A first Ogg page (RFC 3533 header, one lacing segment) carrying `packet`. */
function oggPage(packet: string, version = 0): Uint8Array {
  const body = new TextEncoder().encode(packet);
  const header = new Uint8Array(28);
  header.set([0x4f, 0x67, 0x67, 0x53], 0);
  header[4] = version;
  header[5] = 0x02; // beginning of stream
  header[26] = 1;
  header[27] = body.byteLength;
  const page = new Uint8Array(header.byteLength + body.byteLength);
  page.set(header);
  page.set(body, header.byteLength);
  return page;
}

describe('isOggOpus', () => {
  it('recognises an Ogg stream whose first packet is OpusHead', () => {
    expect(isOggOpus(oggPage('OpusHead\u0001\u0002'))).toBe(true);
  });

  it('rejects Ogg/Vorbis, WAV, other stream versions and short input', () => {
    expect(isOggOpus(oggPage('\u0001vorbis-identification'))).toBe(false);
    expect(isOggOpus(oggPage('OpusHead', 1))).toBe(false);
    expect(isOggOpus(new TextEncoder().encode('RIFF....WAVEfmt ................................'))).toBe(false);
    expect(isOggOpus(oggPage('OpusHead').subarray(0, 30))).toBe(false);
  });
});
