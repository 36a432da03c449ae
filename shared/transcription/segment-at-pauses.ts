/**
 * Client-side segmentation of 16-bit mono PCM at pauses, with a simple energy detector: each segment becomes one
 * socket message (and one Transcribe stream), so it ends in a pause where possible and never exceeds the size a
 * message can carry. Silence between segments is not sent at all.
 */

export interface PcmSegment {
  /** Where the segment starts in the whole recording. */
  readonly offsetMs: number;
  readonly durationMs: number;
  readonly pcm: Uint8Array;
}

export interface SegmentAtPausesOptions {
  readonly sampleRateHz: number;
  /** The largest segment; the message quota bounds it (about 2.9 s of 16 kHz PCM). */
  readonly maxSegmentBytes: number;
  /** Analysis frame; 20 ms is the usual voice-activity frame. */
  readonly frameMs?: number;
  /** A pause at least this long ends a segment. */
  readonly minPauseMs?: number;
  /** RMS (of 32767) below which a frame counts as silence. */
  readonly silenceRms?: number;
}

function rmsOf(pcm: Uint8Array, start: number, end: number): number {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let sum = 0;
  let count = 0;
  for (let offset = start; offset + 1 < end; offset += 2) {
    const sample = view.getInt16(offset, true);
    sum += sample * sample;
    count++;
  }
  return count === 0 ? 0 : Math.sqrt(sum / count);
}

export function segmentAtPauses(pcm: Uint8Array, options: SegmentAtPausesOptions): PcmSegment[] {
  const bytesPerMs = (options.sampleRateHz * 2) / 1000;
  const frameMs = options.frameMs ?? 20;
  const frameBytes = Math.round(frameMs * bytesPerMs);
  const pauseFrames = Math.ceil((options.minPauseMs ?? 300) / frameMs);
  const silenceRms = options.silenceRms ?? 500;
  // Whole frames only, so a segment never splits a sample.
  const maxFrames = Math.max(1, Math.floor(options.maxSegmentBytes / frameBytes));
  const frameCount = Math.ceil(pcm.length / frameBytes);
  const voiced: boolean[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    voiced.push(rmsOf(pcm, frame * frameBytes, Math.min(pcm.length, (frame + 1) * frameBytes)) >= silenceRms);
  }

  const segments: PcmSegment[] = [];
  const emit = (first: number, endFrame: number) => {
    const start = first * frameBytes;
    const end = Math.min(pcm.length, endFrame * frameBytes);
    if (end <= start) return;
    segments.push({
      offsetMs: Math.round(start / bytesPerMs),
      durationMs: Math.round((end - start) / bytesPerMs),
      pcm: pcm.subarray(start, end),
    });
  };

  let start: number | undefined;
  let silentRun = 0;
  for (let frame = 0; frame < frameCount; frame++) {
    if (start === undefined) {
      if (voiced[frame]) {
        start = frame;
        silentRun = 0;
      }
      continue;
    }
    silentRun = voiced[frame] ? 0 : silentRun + 1;
    if (silentRun >= pauseFrames) {
      // End in the pause, keeping a little of it: recognisers need the trailing silence to finalise a word.
      emit(start, frame - silentRun + Math.ceil(pauseFrames / 2));
      start = undefined;
    } else if (frame + 1 - start >= maxFrames) {
      emit(start, frame + 1);
      start = undefined;
    }
  }
  if (start !== undefined) emit(start, frameCount);
  return segments;
}
