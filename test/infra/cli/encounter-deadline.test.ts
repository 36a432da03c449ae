import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { streamWav } from '../../../infra/cli/commands/encounter.ts';
import { synthesizeEncounterWav } from '../../shared/transcription/encounter-audio.ts';

/**
 * A socket server that loses the first attempt of segment 0 entirely (no reply, nothing stored) and stores segment 1
 * but loses its reply: what a timed-out invocation and a reply past API Gateway's limit look like to the client.
 */
async function lossyServer() {
  const received: number[] = [];
  const done = new Set<number>();
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'cag.v1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (client) => {
    client.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { action: string; seq: number };
      if (message.action === 'status') {
        client.send(
          JSON.stringify({
            type: 'status',
            encounterId: 'enc-lossy-1',
            status: 'open',
            nextSeq: 0,
            done: [...done],
            inFlight: [],
          }),
        );
        return;
      }
      received.push(message.seq);
      const attempt = received.filter((seq) => seq === message.seq).length;
      if (message.seq === 0 && attempt === 1) return;
      done.add(message.seq);
      if (message.seq === 1) return;
      client.send(JSON.stringify({ type: 'segment-done', seq: message.seq, finals: [] }));
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, received, url: `ws://127.0.0.1:${port}` };
}

describe('cag encounter stream: a reply that never comes', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('asks for status after the per-segment deadline: resends a lost segment, and counts a stored one as done', async () => {
    const { server, received, url } = await lossyServer();
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const lines: string[] = [];
    // Everything printed; only `! segment N: transcribed, but its reply was lost` may be a warning here.
    const summary = await streamWav(synthesizeEncounterWav([900, 900, 900]), {
      apiUrl: 'http://127.0.0.1:1',
      socketUrl: url,
      encounterId: 'enc-lossy-1',
      token: 'test-token',
      speed: 0,
      end: false,
      segmentDeadlineMs: 200,
      print: (line) => lines.push(line),
    });
    expect(summary.failedSegments).toEqual([]);
    expect(received.filter((seq) => seq === 0)).toHaveLength(2);
    expect(received.filter((seq) => seq === 1)).toHaveLength(1);
    // Segment 1 was stored: `status` shows it done, so it is never sent again.
    expect(lines.filter((line) => line.startsWith('! ') && !line.includes('reply was lost'))).toEqual([]);
  });
});
