import { describe, expect, it } from 'vitest';
import { PROMPTS } from '../../../shared/ai/prompts/prompt-catalog.ts';
import { USE_CASE_ROLES } from '../../../shared/ai/use-cases.ts';
import { USE_CASES } from '../../../shared/policy/use-cases.ts';

describe('USE_CASES', () => {
  it('names the same use cases the AI gateway has prompts and roles for', () => {
    expect(Object.keys(USE_CASE_ROLES).sort()).toEqual([...USE_CASES].sort());
    expect(Object.keys(PROMPTS).sort()).toEqual([...USE_CASES].sort());
  });
});
