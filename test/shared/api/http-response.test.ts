import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../../shared/api/http-response.ts';
import { ModelCallFailed } from '../../../shared/ports/model-client.ts';

describe('errorResponse', () => {
  it('answers a failed model call with 503 MODEL_UNAVAILABLE and its reason, wherever it surfaces', () => {
    const response = errorResponse(new ModelCallFailed('THROTTLED', 'ThrottlingException'), 'corr-0001');
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'MODEL_UNAVAILABLE', reason: 'THROTTLED' });
    expect(response.body).not.toContain('ThrottlingException');
  });

  it('answers anything unexpected with a bare 500', () => {
    const response = errorResponse(new Error('patient Jane Roe'), 'corr-0002');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('Jane');
  });
});
