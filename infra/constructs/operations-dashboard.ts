/**
 * The deployment's one CloudWatch dashboard, built from the topology and the metric catalog: an overview row, a
 * widget per route and per event or scheduled function, one section per capability (every catalog metric of that
 * section, with its breakdowns), then events and audit (dead-letter queues) and the infrastructure (a widget per
 * Lambda function, DynamoDB throttles). A route, function or catalog metric added later appears on the next deploy.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type DimensionName,
  METRIC_CATALOG,
  METRIC_NAMES,
  type MetricName,
  type MetricSection,
} from '../../shared/observability/metric-catalog.ts';
import type { Topology } from '../topology/types.ts';
import {
  catalogBreakdown,
  catalogMetric,
  DEFAULT_PERIOD,
  estimatedSpend,
  type SpendCoefficients,
} from './catalog-metrics.ts';
import { routeKey } from './operational-alarms.ts';

export interface DeadLetterSource {
  /** What dead-letters there, e.g. the construct path of the function or rule. */
  readonly source: string;
  readonly queue: sqs.IQueue;
}

export interface OperationsDashboardProps {
  readonly topology: Topology;
  /** By topology function name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly deadLetterQueues: readonly DeadLetterSource[];
  /** By topology table name. */
  readonly tables: Readonly<Record<string, dynamodb.ITable>>;
  readonly spendCoefficients: SpendCoefficients;
  /** The Bedrock throttle series the alarm watches. */
  readonly bedrockThrottles: cloudwatch.IMetric;
}

const SECTION_TITLES: Readonly<Record<Exclude<MetricSection, 'overview' | 'infrastructure'>, string>> = {
  deidentification: 'De-identification',
  'ai-gateway': 'AI gateway',
  drafts: 'Drafts and review',
  transcription: 'Transcription',
  'events-audit': 'Events and audit',
};

const WIDE = 12;
const NARROW = 6;
const HEIGHT = 6;
// CloudWatch draws at most 500 metrics per graph; a few dozen per graph keeps legends readable.
const QUEUES_PER_GRAPH = 20;

function heading(markdown: string): cloudwatch.TextWidget {
  return new cloudwatch.TextWidget({ markdown, width: 24, height: 1 });
}

export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** Widget titles by what they show, for the tests: `route:<key>`, `function:<name>`, `lambda:<name>`. */
  readonly widgetTitles = new Map<string, string>();

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(12),
    });
    this.overview(props);
    this.invocations(props);
    for (const [section, title] of Object.entries(SECTION_TITLES) as [keyof typeof SECTION_TITLES, string][]) {
      this.section(section, title, props);
    }
    this.infrastructure(props);
  }

  private overview(props: OperationsDashboardProps): void {
    const total = (name: MetricName, label: string) => catalogMetric(name, {}, { label });
    this.dashboard.addWidgets(
      heading('# Overview\nAll routes and functions. Metrics carry route keys, codes and counts only, never PHI.'),
      new cloudwatch.GraphWidget({
        title: 'Traffic',
        width: NARROW,
        height: HEIGHT,
        left: [total('Requests', 'Invocations')],
      }),
      new cloudwatch.GraphWidget({
        title: 'Errors',
        width: NARROW,
        height: HEIGHT,
        left: [total('ServerErrors', '5xx / failed'), total('ClientErrors', '4xx')],
      }),
      new cloudwatch.GraphWidget({
        title: 'p95 latency (ms)',
        width: NARROW,
        height: HEIGHT,
        left: [total('Latency', 'p95')],
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Estimated spend today (USD, list prices)',
        width: NARROW,
        height: HEIGHT,
        metrics: [estimatedSpend(props.spendCoefficients, Duration.days(1))],
        setPeriodToTimeRange: false,
        fullPrecision: false,
      }),
    );
  }

  /** One widget per route, then one per function that no route reaches (event consumers, schedules, sockets). */
  private invocations(props: OperationsDashboardProps): void {
    const widgets: cloudwatch.IWidget[] = [];
    for (const [name, spec] of Object.entries(props.topology.functions)) {
      for (const route of spec.routes ?? []) {
        const key = routeKey(route);
        const title = `${key} (${name})`;
        this.widgetTitles.set(`route:${key}`, title);
        widgets.push(this.invocationWidget(title, { route: key }));
      }
      const fn = props.functions[name];
      if ((spec.routes?.length ?? 0) === 0 && fn) {
        const title = `${name} (events, schedules, sockets)`;
        this.widgetTitles.set(`function:${name}`, title);
        widgets.push(this.invocationWidget(title, { function: fn.functionName }));
      }
    }
    this.dashboard.addWidgets(heading('## Routes and functions'), ...widgets);
  }

  private invocationWidget(title: string, dimensions: { route: string } | { function: string }): cloudwatch.IWidget {
    return new cloudwatch.GraphWidget({
      title,
      width: NARROW,
      height: HEIGHT,
      left: [
        catalogMetric('Requests', dimensions, { label: 'requests' }),
        catalogMetric('ServerErrors', dimensions, { label: '5xx / failed' }),
        ...('route' in dimensions ? [catalogMetric('ClientErrors', dimensions, { label: '4xx' })] : []),
      ],
      right: [catalogMetric('Latency', dimensions, { label: 'p95 ms' })],
    });
  }

  /** Every catalog metric of the section: its total, and a breakdown per declared dimension set. */
  private section(section: MetricSection, title: string, props: OperationsDashboardProps): void {
    const widgets: cloudwatch.IWidget[] = [];
    for (const name of METRIC_NAMES.filter((metric) => METRIC_CATALOG[metric].section === section)) {
      const declaration = METRIC_CATALOG[name];
      const sets: readonly (readonly DimensionName[])[] = declaration.dimensions;
      const breakdowns = sets
        .filter((set) => set.length > 0 && !set.includes('route') && !set.includes('function'))
        .map((set) => catalogBreakdown(name, set));
      widgets.push(
        new cloudwatch.GraphWidget({
          title: `${name}: ${declaration.description}`,
          width: breakdowns.length > 0 ? WIDE : NARROW,
          height: HEIGHT,
          left: [catalogMetric(name, {}, { label: 'total' }), ...breakdowns],
        }),
      );
    }
    if (section === 'ai-gateway') {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Bedrock throttled calls',
          width: NARROW,
          height: HEIGHT,
          left: [props.bedrockThrottles],
        }),
      );
    }
    if (section === 'drafts') {
      widgets.push(
        new cloudwatch.GraphWidget({
          title: 'Drafts waiting for review (approx.: ready minus decided since the start of the range)',
          width: NARROW,
          height: HEIGHT,
          left: [
            new cloudwatch.MathExpression({
              expression: 'RUNNING_SUM(FILL(ready, 0) - FILL(approved, 0) - FILL(rejected, 0))',
              usingMetrics: {
                ready: catalogMetric('DraftsReady'),
                approved: catalogMetric('DraftsApproved'),
                rejected: catalogMetric('DraftsRejected'),
              },
              label: 'pending',
              period: DEFAULT_PERIOD,
            }),
          ],
        }),
      );
    }
    if (section === 'events-audit') {
      widgets.push(...this.deadLetterWidgets(props.deadLetterQueues));
    }
    this.dashboard.addWidgets(heading(`## ${title}`), ...widgets);
  }

  private deadLetterWidgets(queues: readonly DeadLetterSource[]): cloudwatch.IWidget[] {
    const widgets: cloudwatch.IWidget[] = [];
    for (let start = 0; start < queues.length; start += QUEUES_PER_GRAPH) {
      const slice = queues.slice(start, start + QUEUES_PER_GRAPH);
      widgets.push(
        new cloudwatch.GraphWidget({
          title: `Dead-letter queue depth (${start + 1}-${start + slice.length} of ${queues.length})`,
          width: WIDE,
          height: HEIGHT,
          left: slice.map(({ source, queue }) =>
            queue.metricApproximateNumberOfMessagesVisible({
              statistic: cloudwatch.Stats.MAXIMUM,
              period: DEFAULT_PERIOD,
              label: source,
            }),
          ),
        }),
      );
    }
    return widgets;
  }

  private infrastructure(props: OperationsDashboardProps): void {
    const accountLambda = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic, period: DEFAULT_PERIOD });
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Lambda in this account and region: concurrency and throttles',
        width: WIDE,
        height: HEIGHT,
        left: [accountLambda('ConcurrentExecutions', cloudwatch.Stats.MAXIMUM)],
        right: [accountLambda('Throttles', cloudwatch.Stats.SUM)],
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB throttled requests by table',
        width: WIDE,
        height: HEIGHT,
        left: Object.entries(props.tables).flatMap(([name, table]) =>
          ['ReadThrottleEvents', 'WriteThrottleEvents'].map(
            (metricName) =>
              new cloudwatch.Metric({
                namespace: 'AWS/DynamoDB',
                metricName,
                dimensionsMap: { TableName: table.tableName },
                statistic: cloudwatch.Stats.SUM,
                period: DEFAULT_PERIOD,
                label: `${name} ${metricName === 'ReadThrottleEvents' ? 'reads' : 'writes'}`,
              }),
          ),
        ),
      }),
    ];
    for (const name of Object.keys(props.topology.functions)) {
      const fn = props.functions[name];
      if (!fn) continue;
      const title = `Lambda ${name}`;
      this.widgetTitles.set(`lambda:${name}`, title);
      widgets.push(
        new cloudwatch.GraphWidget({
          title,
          width: NARROW,
          height: HEIGHT,
          left: [
            fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: DEFAULT_PERIOD, label: 'throttles' }),
            fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: DEFAULT_PERIOD, label: 'errors' }),
          ],
          right: [
            fn.metric('ConcurrentExecutions', {
              statistic: cloudwatch.Stats.MAXIMUM,
              period: DEFAULT_PERIOD,
              label: 'concurrency',
            }),
          ],
        }),
      );
    }
    this.dashboard.addWidgets(heading('## Infrastructure'), ...widgets);
  }
}
