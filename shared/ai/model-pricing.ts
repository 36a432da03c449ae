/**
 * On-demand model prices for the cost estimate in audit records and metrics. Source: the Amazon Bedrock pricing
 * page (us-east-1, on-demand, per 1,000 tokens), as read on 2026-11-01; prices change, so check before budgeting.
 * Self-hosted and offline models cost nothing per token here (their cost is the infrastructure's).
 */
export const PRICING_SOURCE = 'aws.amazon.com/bedrock/pricing, us-east-1 on-demand, read 2026-11-01';

const PER_THOUSAND_TOKENS_USD: Record<string, { input: number; output: number }> = {
  'anthropic.claude-3-5-haiku-20241022-v1:0': { input: 0.0008, output: 0.004 },
  'anthropic.claude-3-5-sonnet-20241022-v2:0': { input: 0.003, output: 0.015 },
  'anthropic.claude-3-haiku-20240307-v1:0': { input: 0.00025, output: 0.00125 },
  'amazon.nova-micro-v1:0': { input: 0.000035, output: 0.00014 },
  'amazon.nova-lite-v1:0': { input: 0.00006, output: 0.00024 },
  'amazon.nova-pro-v1:0': { input: 0.0008, output: 0.0032 },
  'meta.llama3-1-70b-instruct-v1:0': { input: 0.00072, output: 0.00072 },
};

/** Estimated cost in USD, or undefined when the model is not in the table (then the estimate is unknown). */
export function estimateCostUsd(
  modelId: string,
  client: string,
  usage: { inputTokens: number; outputTokens: number },
): number | undefined {
  if (client !== 'bedrock') return 0;
  // Cross-region inference profiles prefix the model id with a geography (us., eu., apac.).
  const price = PER_THOUSAND_TOKENS_USD[modelId.replace(/^(us|eu|apac|global)\./, '')];
  if (!price) return undefined;
  return (
    Math.round(((usage.inputTokens / 1000) * price.input + (usage.outputTokens / 1000) * price.output) * 1e6) / 1e6
  );
}
