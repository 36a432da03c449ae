/** Recognises an Ogg stream whose first logical stream is Opus, from its first page (RFC 7845 section 5.1). */

const OGG_CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const OPUS_HEAD = [0x4f, 0x70, 0x75, 0x73, 0x48, 0x65, 0x61, 0x64]; // "OpusHead"

/** True when the bytes start with an Ogg page whose first packet is an OpusHead identification header. */
export function isOggOpus(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 27 + 8) return false;
  if (!OGG_CAPTURE.every((byte, index) => bytes[index] === byte)) return false;
  if (bytes[4] !== 0) return false; // stream structure version
  const segments = bytes[26] ?? 0;
  const payload = 27 + segments;
  if (bytes.byteLength < payload + OPUS_HEAD.length) return false;
  return OPUS_HEAD.every((byte, index) => bytes[payload + index] === byte);
}
