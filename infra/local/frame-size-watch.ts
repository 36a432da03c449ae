/**
 * Reads the headers of the WebSocket frames a client sends, so the local gateway can refuse a frame larger than API
 * Gateway's 32 KB frame quota the way API Gateway does (closing with 1009), even when the message it belongs to is
 * under the 128 KB message quota: `ws` only reports whole messages, and a client that passes locally must not fail
 * in AWS.
 */

/** Data frames (text, binary, continuation) count; control frames are at most 125 bytes anyway. */
const FIRST_CONTROL_OPCODE = 0x8;

export class FrameSizeWatch {
  private header: number[] = [];
  private payloadLeft = 0;
  private tripped = false;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onOversized: () => void,
  ) {}

  /** Feeds raw bytes from the client, in order; calls `onOversized` once, at the first frame over the limit. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.tripped) {
      if (this.payloadLeft > 0) {
        const skip = Math.min(this.payloadLeft, chunk.length - offset);
        this.payloadLeft -= skip;
        offset += skip;
        continue;
      }
      this.header.push(chunk[offset] as number);
      offset += 1;
      const frame = parseHeader(this.header);
      if (!frame) continue;
      this.header = [];
      if (frame.opcode < FIRST_CONTROL_OPCODE && frame.payloadBytes > this.maxFrameBytes) {
        this.tripped = true;
        this.onOversized();
        return;
      }
      this.payloadLeft = frame.payloadBytes;
    }
  }
}

/** The frame's opcode and payload length once its whole header (2 to 14 bytes) is in `bytes`. */
function parseHeader(bytes: readonly number[]): { opcode: number; payloadBytes: number } | undefined {
  if (bytes.length < 2) return undefined;
  const opcode = (bytes[0] as number) & 0x0f;
  const masked = ((bytes[1] as number) & 0x80) !== 0;
  const short = (bytes[1] as number) & 0x7f;
  const extended = short === 126 ? 2 : short === 127 ? 8 : 0;
  if (bytes.length < 2 + extended + (masked ? 4 : 0)) return undefined;
  let payloadBytes = short;
  if (extended > 0) {
    payloadBytes = 0;
    for (let i = 0; i < extended; i += 1) payloadBytes = payloadBytes * 256 + (bytes[2 + i] as number);
  }
  return { opcode, payloadBytes };
}
