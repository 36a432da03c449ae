import { describe, expect, it } from 'vitest';
import { buildAwsPorts } from '../../../shared/runtime/aws-ports.ts';

describe('buildAwsPorts > transcriber', () => {
  it('is Transcribe Medical (clinical grade) behind the transcribe:stream variable, with text frames routed aside', () => {
    const ports = buildAwsPorts({ AWS_REGION: 'us-east-1', TRANSCRIBER: 'transcribe-medical' });

    expect(ports.transcriber.name).toBe('transcribe-medical+text-frames');
    expect(ports.transcriber.isClinicalGrade).toBe(true);
  });

  it('fails fast, naming the variable, in a function without the grant or with an unknown value', () => {
    expect(() => buildAwsPorts({ AWS_REGION: 'us-east-1' }).transcriber).toThrow(/TRANSCRIBER/);
    expect(() => buildAwsPorts({ AWS_REGION: 'us-east-1', TRANSCRIBER: 'whisper' }).transcriber).toThrow(/TRANSCRIBER/);
  });
});
