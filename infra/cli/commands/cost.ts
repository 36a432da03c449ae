/**
 * `cag cost` estimates the monthly AWS bill of a deployment for a practice's workload, by service, and the cost per
 * encounter, from the pricing table (shared/operations/pricing-table.ts) and the topology.
 */
import { Command, InvalidArgumentError } from 'commander';
import {
  type CostEstimate,
  type CostScenario,
  estimateMonthlyCost,
  WORKLOAD_ASSUMPTIONS,
} from '../../../shared/operations/cost-model.ts';
import { deploymentShapeOf } from '../../../shared/operations/deployment-shape.ts';
import { PRICES, PRICING_DATE, PRICING_REGION } from '../../../shared/operations/pricing-table.ts';
import { topology } from '../../topology/index.ts';

/** FUNCTION_API_ENDPOINTS in infra/stacks/network-stack.ts (a test keeps the two equal without loading CDK here). */
export const INTERFACE_ENDPOINTS = 11;

export const DEFAULT_MODEL_ID = 'anthropic.claude-3-5-sonnet-20241022-v2:0';

const count = (label: string, min: number, max: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isFinite(number) || number < min || number > max) {
    throw new InvalidArgumentError(`${label} between ${min} and ${max}`);
  }
  return number;
};

const money = (usd: number) =>
  `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export function renderEstimate(estimate: CostEstimate, scenario: CostScenario): string {
  const width = Math.max(...estimate.lines.map((line) => line.service.length)) + 2;
  const out = [
    `Monthly estimate: ${scenario.encountersPerDay} encounters/day x ${scenario.workingDays} working days, ` +
      `${scenario.minutesPerEncounter} min each, ${scenario.summariesPerDay} summaries/day, ` +
      `${scenario.codingReviewsPerDay} coding reviews/day, ${scenario.azs} AZs, ${scenario.modelId}`,
    `List prices, ${PRICING_REGION}, table dated ${PRICING_DATE} (shared/operations/pricing-table.ts); free tiers ignored.`,
    '',
    ...[...estimate.lines]
      .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
      .map((line) => `${line.service.padEnd(width)}${money(line.monthlyUsd).padStart(12)}   ${line.basis}`),
    `${'Total'.padEnd(width)}${money(estimate.monthlyUsd).padStart(12)}`,
    '',
    `Encounters per month:    ${estimate.encountersPerMonth}`,
    `Cost per encounter:      ${money(estimate.perEncounterUsd)} (of which usage ${money(estimate.variablePerEncounterUsd)}; the fixed floor is ${money(estimate.fixedMonthlyUsd)}/month)`,
  ];
  const unverified = Object.entries(PRICES)
    .filter(([, price]) => !price.verified)
    .map(([name]) => name);
  if (unverified.length > 0) {
    out.push('', `Unverified prices (check the AWS pricing pages before budgeting): ${unverified.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

export function costCommand(): Command {
  return new Command('cost')
    .description('estimate the monthly AWS cost by service and the cost per encounter')
    .requiredOption('--encounters-per-day <n>', 'encounters recorded per working day', count('a number', 0, 100_000))
    .requiredOption('--minutes-per-encounter <m>', 'minutes of audio per encounter', count('minutes', 0, 600))
    .option('--summaries-per-day <n>', 'record summaries and letters per day', count('a number', 0, 100_000), 0)
    .option('--coding-reviews-per-day <n>', 'coding reviews per day', count('a number', 0, 100_000), 0)
    .option('--working-days <n>', 'working days per month', count('days', 1, 31), 21)
    .option('--azs <n>', 'Availability Zones of the interface endpoints', count('AZs', 1, 6), 2)
    .option('--model <id>', 'Bedrock model id for drafts', DEFAULT_MODEL_ID)
    .option('--private-api', 'a PRIVATE API: one more endpoint, no WAF')
    .option(
      '--segment-seconds <s>',
      'audio per transcription stream: ~2.9 for PCM segments (each billed 15 s), 15-20 for Ogg/Opus segments',
      count('seconds', 1, 120),
      WORKLOAD_ASSUMPTIONS.audioSecondsPerSegment,
    )
    .option('--json', 'print the estimate, scenario and assumptions as JSON')
    .action(
      (options: {
        encountersPerDay: number;
        minutesPerEncounter: number;
        summariesPerDay: number;
        codingReviewsPerDay: number;
        workingDays: number;
        azs: number;
        model: string;
        privateApi?: boolean;
        segmentSeconds: number;
        json?: boolean;
      }) => {
        const assumptions = { ...WORKLOAD_ASSUMPTIONS, audioSecondsPerSegment: options.segmentSeconds };
        const scenario: CostScenario = {
          encountersPerDay: options.encountersPerDay,
          minutesPerEncounter: options.minutesPerEncounter,
          summariesPerDay: options.summariesPerDay,
          codingReviewsPerDay: options.codingReviewsPerDay,
          workingDays: options.workingDays,
          azs: options.azs,
          modelId: options.model,
        };
        const shape = deploymentShapeOf(topology, {
          interfaceEndpoints: INTERFACE_ENDPOINTS,
          privateApi: options.privateApi === true,
        });
        const estimate = estimateMonthlyCost(scenario, shape, assumptions);
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ scenario, shape, estimate, assumptions, prices: PRICES }, null, 2)}\n`
            : renderEstimate(estimate, scenario),
        );
      },
    );
}
