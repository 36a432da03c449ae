/**
 * The loopback Transcribe fake's default answers behind `npm start`: a PLACEHOLDER transcript that says how much
 * audio arrived, never what was said. It exercises the real adapter and the whole pipeline; it recognises nothing.
 */
import type { FakeResponder, FakeSession } from './transcribe-streaming-fake.ts';

// A partial every second of audio, as the service sends partials while someone speaks.
const PARTIAL_EVERY_MS = 1000;

function audioMs(session: FakeSession): number {
  const rate = Number(session.headers['x-amzn-transcribe-sample-rate'] ?? 16000);
  // Ogg/Opus has no fixed bytes-per-ms: its duration is not known to the fake, so it reports bytes instead.
  return session.headers['x-amzn-transcribe-media-encoding'] === 'pcm'
    ? Math.round((session.audioBytes / (rate * 2)) * 1000)
    : 0;
}

function describe(session: FakeSession): string {
  const ms = audioMs(session);
  return ms > 0 ? `${(ms / 1000).toFixed(1)} seconds of audio` : `${session.audioBytes} bytes of audio`;
}

/** Deterministic for the same audio length: the text, speaker and times depend only on how much audio arrived. */
export function demoTranscribeResponder(session: FakeSession): FakeResponder {
  let partials = 0;
  const resultId = `demo-${session.sessionId}`;
  return {
    onAudio(current) {
      const ms = audioMs(current);
      if (ms < (partials + 1) * PARTIAL_EVERY_MS) return [];
      partials++;
      return [
        {
          results: [
            {
              resultId,
              isPartial: true,
              startMs: 0,
              endMs: ms,
              transcript: `[placeholder] listening (${describe(current)})`,
            },
          ],
        },
      ];
    },
    onAudioEnd(current) {
      const ms = audioMs(current);
      const speaker = String(Math.floor(ms / 100) % 2);
      const words = [
        'PLACEHOLDER',
        'transcript',
        'from',
        'the',
        'loopback',
        'Transcribe',
        'fake:',
        ...describe(current).split(' '),
        'received,',
        'no',
        'speech',
        'recognised.',
      ];
      const step = ms > 0 ? Math.max(1, Math.floor(ms / words.length)) : 0;
      return [
        {
          results: [
            {
              resultId,
              isPartial: false,
              startMs: 0,
              endMs: ms,
              transcript: words.join(' '),
              items: words.map((content, index) => ({
                content,
                startMs: index * step,
                endMs: (index + 1) * step,
                speaker,
              })),
            },
          ],
        },
      ];
    },
  };
}
