/** One Transcriber port over several adapters: text frames go to the text-frame mode, audio to the recogniser. */
import type { AudioSegment, Transcriber, TranscriptResult } from '../ports/transcriber.ts';

export class RoutingTranscriber implements Transcriber {
  readonly name: string;
  /** Reports the audio recogniser's grade: text frames are the integrator's own transcript, not recognised here. */
  readonly isClinicalGrade: boolean;

  constructor(
    private readonly audio: Transcriber,
    private readonly textFrames: Transcriber,
  ) {
    this.name = `${audio.name}+${textFrames.name}`;
    this.isClinicalGrade = audio.isClinicalGrade;
  }

  transcribe(segment: AudioSegment, signal?: AbortSignal): AsyncIterable<TranscriptResult> {
    return (segment.encoding === 'text-frames' ? this.textFrames : this.audio).transcribe(segment, signal);
  }
}
