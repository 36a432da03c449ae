import { describe, expect, it } from 'vitest';
import { ComprehendMedicalCodeInference } from '../../../shared/adapters/aws/comprehend-medical-code-inference.ts';
import { CodeInferenceFailed } from '../../../shared/ports/code-inference.ts';
import { buildAwsPorts } from '../../../shared/runtime/aws-ports.ts';

describe('buildAwsPorts > codeInference', () => {
  it('uses Comprehend Medical InferICD10CM where the codes:infer grant set CODE_INFERENCE', () => {
    const ports = buildAwsPorts({ AWS_REGION: 'us-east-1', CODE_INFERENCE: 'comprehend-medical' });
    expect(ports.codeInference).toBeInstanceOf(ComprehendMedicalCodeInference);
    expect(ports.codeInference.isStandIn).toBe(false);
    expect(ports.adapters.codeInference?.adapter).toContain('InferICD10CM');
  });

  it('refuses every inference, never falling back to the stand-in, in a function without the grant', async () => {
    const ports = buildAwsPorts({ AWS_REGION: 'us-east-1' });
    expect(ports.codeInference.isStandIn).toBe(false);
    await expect(ports.codeInference.inferIcd10Cm('hypertension')).rejects.toMatchObject({
      reason: 'UNAVAILABLE',
      code: 'CODE_INFERENCE_FAILED',
    });
    await expect(ports.codeInference.inferIcd10Cm('x')).rejects.toBeInstanceOf(CodeInferenceFailed);
    expect(ports.adapters.codeInference?.adapter).toContain('no codes:infer capability');
  });
});
