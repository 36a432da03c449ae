import { describe, expect, it } from 'vitest';
import {
  assertValidEventPattern,
  type EventPattern,
  matchesEventPattern,
} from '../../../../shared/adapters/local/event-pattern.ts';

/**
 * The patterns below are copied from the Amazon EventBridge User Guide; each group names its page. The events are the
 * documented ones where the page shows an event, otherwise a minimal envelope carrying the fields the pattern reads.
 */
const PATTERNS = {
  // "Amazon EventBridge event patterns"
  ec2Termination: {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  },
  ec2OrFargate: { source: ['aws.ec2', 'aws.fargate'] },
  autoScalingNullField: {
    source: ['aws.autoscaling'],
    'detail-type': ['EC2 Instance Launch Successful'],
    detail: { responseElements: [null] },
  },
  macieRisk: {
    source: ['aws.macie'],
    'detail-type': ['Macie Alert'],
    detail: { 'risk-score': [80], trigger: { risk: [8] } },
  },
  // "Matching null values and empty strings in Amazon EventBridge event patterns"
  emptyString: { detail: { eventVersion: [''] } },
  nullValue: { detail: { responseElements: [null] } },
  // "Arrays in Amazon EventBridge event patterns"
  resources: {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  },
  // "Content filtering in Amazon EventBridge event patterns"
  prefix: { time: [{ prefix: '2017-10-02' }] },
  prefixIgnoreCase: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
  suffix: { FileName: [{ suffix: '.png' }] },
  suffixIgnoreCase: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
  anythingButString: { detail: { state: [{ 'anything-but': 'initializing' }] } },
  anythingButNumber: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
  anythingButStrings: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
  anythingButNumbers: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
  anythingButPrefix: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
  anythingButSuffix: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
  anythingButIgnoreCase: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } },
  anythingButIgnoreCaseList: {
    detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
  },
  anythingButWildcard: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
  anythingButWildcardList: { detail: { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] } },
  numeric: {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  },
  cidr: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
  existsTrue: { detail: { 'c-count': [{ exists: true }] } },
  existsFalse: { detail: { 'c-count': [{ exists: false }] } },
  equalsIgnoreCase: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
  wildcard: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
  complex: {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
    },
  },
  or: {
    detail: {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    },
  },
  orWithAnd: {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  },
  // "Comparison operators for use in event patterns in Amazon EventBridge"
  wildcardDir: { FileName: [{ wildcard: 'dir/*.png' }] },
  priceRange: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
  locationOrDay: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
  nameIgnoreCase: { Name: [{ 'equals-ignore-case': 'alice' }] },
} satisfies Record<string, EventPattern>;

/** The EC2 event shown on "Amazon EventBridge event patterns". */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

/** The EC2 envelope with another `detail` (and optionally other top-level fields). */
const withDetail = (detail: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  ...ec2Event,
  ...top,
  detail,
});

/** The event the content-filtering examples are written for (the EC2 state-change sample with counters). */
const countersEvent = withDetail(
  { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' },
  { time: '2017-10-02T16:24:49Z' },
);

describe('matchesEventPattern', () => {
  // Source: "Amazon EventBridge event patterns" (EventBridge User Guide)
  describe('with the examples of "Amazon EventBridge event patterns"', () => {
    it('matches the instance-termination pattern against the documented EC2 event', () => {
      expect(matchesEventPattern(PATTERNS.ec2Termination, ec2Event)).toBe(true);
    });

    it('does not match the instance-termination pattern when the instance is running', () => {
      expect(matchesEventPattern(PATTERNS.ec2Termination, withDetail({ state: 'running' }))).toBe(false);
    });

    it('does not match when one of the ANDed fields differs', () => {
      expect(matchesEventPattern(PATTERNS.ec2Termination, { ...ec2Event, source: 'aws.s3' })).toBe(false);
    });

    it('requires the field at the same nesting as in the pattern', () => {
      expect(matchesEventPattern(PATTERNS.ec2Termination, { ...ec2Event, state: 'terminated', detail: {} })).toBe(
        false,
      );
    });

    it('matches any of the values listed for a field (aws.ec2 or aws.fargate)', () => {
      expect(matchesEventPattern(PATTERNS.ec2OrFargate, { ...ec2Event, source: 'aws.fargate' })).toBe(true);
      expect(matchesEventPattern(PATTERNS.ec2OrFargate, { ...ec2Event, source: 'aws.s3' })).toBe(false);
    });

    it('matches strings character by character, without case folding', () => {
      expect(matchesEventPattern(PATTERNS.ec2OrFargate, { ...ec2Event, source: 'AWS.EC2' })).toBe(false);
    });

    it('matches a null field of the Auto Scaling event (field matching)', () => {
      const autoScaling = {
        ...ec2Event,
        'detail-type': 'EC2 Instance Launch Successful',
        source: 'aws.autoscaling',
        resources: [],
        detail: { eventVersion: '', responseElements: null },
      };
      expect(matchesEventPattern(PATTERNS.autoScalingNullField, autoScaling)).toBe(true);
      expect(matchesEventPattern(PATTERNS.autoScalingNullField, { ...autoScaling, source: 'aws.ec2' })).toBe(false);
    });

    it('matches the Macie alert on its risk score and nested trigger risk (value matching)', () => {
      const macie = { ...ec2Event, 'detail-type': 'Macie Alert', source: 'aws.macie' };
      const alert = { 'notification-type': 'ALERT_CREATED', tags: ['Custom_Alert', 'Insider'], 'risk-score': 80 };
      expect(matchesEventPattern(PATTERNS.macieRisk, { ...macie, detail: { ...alert, trigger: { risk: 8 } } })).toBe(
        true,
      );
      expect(matchesEventPattern(PATTERNS.macieRisk, { ...macie, detail: { ...alert, trigger: { risk: 7 } } })).toBe(
        false,
      );
    });

    it('compares numbers numerically, so 300 matches 300.0 and 3.0e2 but not the string "300"', () => {
      const pattern = { detail: { limit: [300] } };
      expect(matchesEventPattern(pattern, JSON.parse('{"detail":{"limit":300.0}}'))).toBe(true);
      expect(matchesEventPattern(pattern, JSON.parse('{"detail":{"limit":3.0e2}}'))).toBe(true);
      expect(matchesEventPattern(pattern, { detail: { limit: '300' } })).toBe(false);
      expect(matchesEventPattern(pattern, { detail: { limit: 301 } })).toBe(false);
    });

    it('matches booleans exactly', () => {
      expect(matchesEventPattern({ detail: { enabled: [false] } }, { detail: { enabled: false } })).toBe(true);
      expect(matchesEventPattern({ detail: { enabled: [false] } }, { detail: { enabled: 'false' } })).toBe(false);
    });
  });

  // Source: "Matching null values and empty strings in Amazon EventBridge event patterns" (EventBridge User Guide)
  describe('with the examples of "Matching null values and empty strings in Amazon EventBridge event patterns"', () => {
    const event = withDetail({ eventVersion: '', responseElements: null });

    it('matches an empty string and a null value of the documented event', () => {
      expect(matchesEventPattern(PATTERNS.emptyString, event)).toBe(true);
      expect(matchesEventPattern(PATTERNS.nullValue, event)).toBe(true);
    });

    it('does not treat null and the empty string as interchangeable', () => {
      expect(matchesEventPattern(PATTERNS.emptyString, withDetail({ eventVersion: null }))).toBe(false);
      expect(matchesEventPattern(PATTERNS.nullValue, withDetail({ responseElements: '' }))).toBe(false);
    });

    it('does not match null against a missing field', () => {
      expect(matchesEventPattern(PATTERNS.nullValue, withDetail({}))).toBe(false);
    });
  });

  // Source: "Arrays in Amazon EventBridge event patterns" (EventBridge User Guide)
  describe('with the examples of "Arrays in Amazon EventBridge event patterns"', () => {
    it('matches when the pattern array and the event array intersect', () => {
      const resources = [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ];
      expect(matchesEventPattern(PATTERNS.resources, { ...ec2Event, resources })).toBe(true);
    });

    it('does not match when the arrays do not intersect', () => {
      const resources = ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'];
      expect(matchesEventPattern(PATTERNS.resources, { ...ec2Event, resources })).toBe(false);
      expect(matchesEventPattern(PATTERNS.resources, { ...ec2Event, resources: [] })).toBe(false);
    });

    it('matches a value inside nested event arrays', () => {
      const resources = [['x', ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f']]];
      expect(matchesEventPattern(PATTERNS.resources, { ...ec2Event, resources })).toBe(true);
    });

    it('matches an object pattern against each element of an event array, keeping one element together', () => {
      const detail = {
        employees: [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
          { firstName: 'Peter', lastName: 'Jones' },
        ],
      };
      const annaSmith = { detail: { employees: { firstName: ['Anna'], lastName: ['Smith'] } } };
      const annaJones = { detail: { employees: { firstName: ['Anna'], lastName: ['Jones'] } } };
      expect(matchesEventPattern(annaSmith, withDetail(detail))).toBe(true);
      expect(matchesEventPattern(annaJones, withDetail(detail))).toBe(false);
    });

    it('applies an operator to each element of an event array', () => {
      const event = withDetail({ state: ['initializing', 'running'] });
      expect(matchesEventPattern({ detail: { state: [{ prefix: 'run' }] } }, event)).toBe(true);
      expect(matchesEventPattern({ detail: { state: [{ prefix: 'stop' }] } }, event)).toBe(false);
    });

    it('skips null, boolean and number elements when a string operator is applied to an event array', () => {
      const event = withDetail({ state: [null, true, 7, 'running'] });
      expect(matchesEventPattern({ detail: { state: [{ prefix: 'run' }] } }, event)).toBe(true);
      expect(matchesEventPattern({ detail: { state: [{ wildcard: 'r*g' }] } }, event)).toBe(true);
    });
  });

  // Source: "Content filtering in Amazon EventBridge event patterns" (EventBridge User Guide)
  describe('with the examples of "Content filtering in Amazon EventBridge event patterns"', () => {
    it('matches a prefix filter on the time field', () => {
      expect(matchesEventPattern(PATTERNS.prefix, { ...ec2Event, time: '2017-10-02T18:43:48Z' })).toBe(true);
      expect(matchesEventPattern(PATTERNS.prefix, { ...ec2Event, time: '2017-10-03T18:43:48Z' })).toBe(false);
    });

    it('matches a prefix filter only on string values', () => {
      expect(matchesEventPattern({ detail: { code: [{ prefix: '20' }] } }, withDetail({ code: 2017 }))).toBe(false);
    });

    it('matches a prefix filter ignoring case', () => {
      for (const service of ['EventBridge', 'EVENTBRIDGE', 'eventbridge']) {
        expect(matchesEventPattern(PATTERNS.prefixIgnoreCase, withDetail({ service }))).toBe(true);
      }
      expect(matchesEventPattern(PATTERNS.prefixIgnoreCase, withDetail({ service: 'Bridge' }))).toBe(false);
      expect(
        matchesEventPattern({ detail: { service: [{ prefix: 'EventB' }] } }, withDetail({ service: 'eventb' })),
      ).toBe(false);
    });

    it('matches a suffix filter, case-sensitively', () => {
      expect(matchesEventPattern(PATTERNS.suffix, { ...ec2Event, FileName: 'photo.png' })).toBe(true);
      expect(matchesEventPattern(PATTERNS.suffix, { ...ec2Event, FileName: 'photo.jpg' })).toBe(false);
      expect(matchesEventPattern(PATTERNS.suffix, { ...ec2Event, FileName: 'photo.PNG' })).toBe(false);
    });

    it('matches a suffix filter ignoring case', () => {
      expect(matchesEventPattern(PATTERNS.suffixIgnoreCase, withDetail({ FileName: 'photo.PNG' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.suffixIgnoreCase, withDetail({ FileName: 'photo.jpg' }))).toBe(false);
    });

    it('matches anything-but a string', () => {
      expect(matchesEventPattern(PATTERNS.anythingButString, withDetail({ state: 'running' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButString, withDetail({ state: 'initializing' }))).toBe(false);
    });

    it('does not match anything-but when the field is missing', () => {
      expect(matchesEventPattern(PATTERNS.anythingButString, withDetail({}))).toBe(false);
    });

    it('matches anything-but a number', () => {
      expect(matchesEventPattern(PATTERNS.anythingButNumber, withDetail({ 'x-limit': 124 }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButNumber, withDetail({ 'x-limit': 123 }))).toBe(false);
    });

    it('matches anything-but a list of strings', () => {
      expect(matchesEventPattern(PATTERNS.anythingButStrings, withDetail({ state: 'running' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButStrings, withDetail({ state: 'stopped' }))).toBe(false);
      expect(matchesEventPattern(PATTERNS.anythingButStrings, withDetail({ state: 'overloaded' }))).toBe(false);
    });

    it('matches anything-but a list of numbers', () => {
      expect(matchesEventPattern(PATTERNS.anythingButNumbers, withDetail({ 'x-limit': 150 }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButNumbers, withDetail({ 'x-limit': 200 }))).toBe(false);
    });

    it('matches anything-but a prefix', () => {
      expect(matchesEventPattern(PATTERNS.anythingButPrefix, withDetail({ state: 'running' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButPrefix, withDetail({ state: 'initializing' }))).toBe(false);
    });

    it('matches anything-but a suffix', () => {
      expect(matchesEventPattern(PATTERNS.anythingButSuffix, withDetail({ FileName: 'photo.png' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButSuffix, withDetail({ FileName: 'notes.txt' }))).toBe(false);
    });

    it('matches anything-but a value ignoring case, single or listed', () => {
      expect(matchesEventPattern(PATTERNS.anythingButIgnoreCase, withDetail({ state: 'running' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButIgnoreCase, withDetail({ state: 'INITIALIZING' }))).toBe(false);
      expect(matchesEventPattern(PATTERNS.anythingButIgnoreCaseList, withDetail({ state: 'running' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButIgnoreCaseList, withDetail({ state: 'Stopped' }))).toBe(false);
    });

    it('matches anything-but a wildcard, single or listed', () => {
      expect(matchesEventPattern(PATTERNS.anythingButWildcard, withDetail({ FilePath: '/usr/bin/tool' }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.anythingButWildcard, withDetail({ FilePath: '/usr/lib/tool' }))).toBe(false);
      const list = PATTERNS.anythingButWildcardList;
      expect(matchesEventPattern(list, withDetail({ FilePath: '/usr/share/tool' }))).toBe(true);
      expect(matchesEventPattern(list, withDetail({ FilePath: '/usr/bin/tool' }))).toBe(false);
    });

    it('matches the numeric example only when every comparison holds', () => {
      expect(matchesEventPattern(PATTERNS.numeric, countersEvent)).toBe(true);
      const detail = countersEvent.detail;
      expect(matchesEventPattern(PATTERNS.numeric, withDetail({ ...detail, 'c-count': 0 }))).toBe(false);
      expect(matchesEventPattern(PATTERNS.numeric, withDetail({ ...detail, 'c-count': 5.000001 }))).toBe(false);
      expect(matchesEventPattern(PATTERNS.numeric, withDetail({ ...detail, 'd-count': 10 }))).toBe(false);
      expect(matchesEventPattern(PATTERNS.numeric, withDetail({ ...detail, 'x-limit': 301.9 }))).toBe(false);
    });

    it('matches numeric filters only against JSON numbers', () => {
      const detail = { ...countersEvent.detail, 'c-count': '5' };
      expect(matchesEventPattern(PATTERNS.numeric, withDetail(detail))).toBe(false);
    });

    it('matches an IPv4 address inside a CIDR block', () => {
      for (const sourceIPAddress of ['10.0.0.0', '10.0.0.24', '10.0.0.255']) {
        expect(matchesEventPattern(PATTERNS.cidr, withDetail({ sourceIPAddress }))).toBe(true);
      }
      for (const sourceIPAddress of ['10.0.1.1', '11.0.0.1', 'not-an-ip', '10.0.0.256']) {
        expect(matchesEventPattern(PATTERNS.cidr, withDetail({ sourceIPAddress }))).toBe(false);
      }
    });

    it('matches an IPv6 address inside a CIDR block', () => {
      const pattern = { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } };
      expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '2001:db8:85a3::8a2e:370:7334' }))).toBe(true);
      expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '2001:db9::1' }))).toBe(false);
      expect(matchesEventPattern(pattern, withDetail({ sourceIPAddress: '10.0.0.1' }))).toBe(false);
    });

    it('matches exists:true only when the leaf field is present', () => {
      expect(matchesEventPattern(PATTERNS.existsTrue, countersEvent)).toBe(true);
      expect(matchesEventPattern(PATTERNS.existsTrue, withDetail({ 'c-count': null }))).toBe(true);
      expect(matchesEventPattern(PATTERNS.existsTrue, withDetail({}))).toBe(false);
      expect(matchesEventPattern(PATTERNS.existsTrue, withDetail({ 'c-count': { c1: 100 } }))).toBe(false);
    });

    it('matches exists:false on the documented event that has no detail.c-count', () => {
      const documented = {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
        detail: { state: ['initializing', 'running'] },
      };
      expect(matchesEventPattern(PATTERNS.existsFalse, documented)).toBe(true);
      expect(matchesEventPattern(PATTERNS.existsFalse, countersEvent)).toBe(false);
    });

    it('matches exists:false when detail.c-count is not a leaf node, as documented', () => {
      const documented = {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
        detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } },
      };
      expect(matchesEventPattern(PATTERNS.existsFalse, documented)).toBe(true);
    });

    it('matches equals-ignore-case on the detail-type', () => {
      expect(matchesEventPattern(PATTERNS.equalsIgnoreCase, ec2Event)).toBe(true);
      const other = { ...ec2Event, 'detail-type': 'EC2 Instance State-change' };
      expect(matchesEventPattern(PATTERNS.equalsIgnoreCase, other)).toBe(false);
    });

    it('matches a wildcard on an event bus ARN', () => {
      const arn = (region: string) => ({
        ...ec2Event,
        EventBusArn: `arn:aws:events:${region}:123456789012:event-bus/default`,
      });
      expect(matchesEventPattern(PATTERNS.wildcard, arn('us-east-1'))).toBe(true);
      expect(matchesEventPattern(PATTERNS.wildcard, arn('us-west-2'))).toBe(false);
    });

    it('treats an escaped star as a literal star and a bare star as any sequence, even an empty one', () => {
      const pattern = { FileName: [{ wildcard: 'report\\*.csv' }] };
      expect(matchesEventPattern(pattern, { FileName: 'report*.csv' })).toBe(true);
      expect(matchesEventPattern(pattern, { FileName: 'report-2024.csv' })).toBe(false);
      expect(matchesEventPattern({ FileName: [{ wildcard: 'a*b' }] }, { FileName: 'ab' })).toBe(true);
      expect(matchesEventPattern({ FileName: [{ wildcard: 'a.b' }] }, { FileName: 'axb' })).toBe(false);
    });

    it('matches the complex example combining prefix, anything-but and numeric', () => {
      expect(matchesEventPattern(PATTERNS.complex, countersEvent)).toBe(true);
      const excluded = withDetail({ ...countersEvent.detail, 'x-limit': 200 }, { time: countersEvent.time });
      expect(matchesEventPattern(PATTERNS.complex, excluded)).toBe(false);
      expect(matchesEventPattern(PATTERNS.complex, { ...countersEvent, time: '2017-10-03T00:00:00Z' })).toBe(false);
    });

    it('matches $or when any alternative matches', () => {
      expect(matchesEventPattern(PATTERNS.or, withDetail({ 'c-count': 9, 'd-count': 20, 'x-limit': 301.8 }))).toBe(
        true,
      );
      expect(matchesEventPattern(PATTERNS.or, withDetail({ 'c-count': 9, 'd-count': 20, 'x-limit': 1 }))).toBe(false);
    });

    it('ANDs $or with the other fields of the same object', () => {
      const alarm = { source: 'aws.cloudwatch', namespace: 'AWS/EC2' };
      expect(matchesEventPattern(PATTERNS.orWithAnd, alarm)).toBe(true);
      expect(matchesEventPattern(PATTERNS.orWithAnd, { ...alarm, source: 'aws.ec2' })).toBe(false);
      expect(matchesEventPattern(PATTERNS.orWithAnd, { ...alarm, namespace: 'AWS/S3' })).toBe(false);
    });

    it('supports $or nested inside an $or alternative', () => {
      const pattern = {
        source: ['aws.cloudwatch'],
        $or: [
          { metricName: ['CPUUtilization'] },
          { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        ],
      };
      expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1000 })).toBe(
        true,
      );
      expect(matchesEventPattern(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1 })).toBe(false);
    });
  });

  // Source: "Comparison operators for use in event patterns in Amazon EventBridge" (EventBridge User Guide)
  describe('with the examples of "Comparison operators for use in event patterns in Amazon EventBridge"', () => {
    it('matches a .png file within the folder "dir" with a wildcard', () => {
      expect(matchesEventPattern(PATTERNS.wildcardDir, { FileName: 'dir/photo.png' })).toBe(true);
      expect(matchesEventPattern(PATTERNS.wildcardDir, { FileName: 'dir/photo.jpg' })).toBe(false);
      expect(matchesEventPattern(PATTERNS.wildcardDir, { FileName: 'other/photo.png' })).toBe(false);
    });

    it('matches a price above 10 and at most 20', () => {
      expect(matchesEventPattern(PATTERNS.priceRange, { Price: 20 })).toBe(true);
      expect(matchesEventPattern(PATTERNS.priceRange, { Price: 10 })).toBe(false);
      expect(matchesEventPattern(PATTERNS.priceRange, { Price: 20.5 })).toBe(false);
    });

    it('matches Location "New York" or Day "Monday"', () => {
      expect(matchesEventPattern(PATTERNS.locationOrDay, { Location: 'Paris', Day: 'Monday' })).toBe(true);
      expect(matchesEventPattern(PATTERNS.locationOrDay, { Location: 'Paris', Day: 'Tuesday' })).toBe(false);
    });

    it('matches Name "Alice" regardless of case', () => {
      expect(matchesEventPattern(PATTERNS.nameIgnoreCase, { Name: 'ALICE' })).toBe(true);
      expect(matchesEventPattern(PATTERNS.nameIgnoreCase, { Name: 'Alicia' })).toBe(false);
    });
  });

  describe('on odd events', () => {
    it('returns false, without throwing, for events that are not objects', () => {
      for (const event of [null, undefined, 'aws.ec2', 42, true, [], [ec2Event], Symbol('event'), () => ec2Event]) {
        expect(matchesEventPattern(PATTERNS.ec2Termination, event)).toBe(false);
      }
    });

    it('finds a value at the bottom of deeply nested event arrays without overflowing the stack', () => {
      let state: unknown = 'terminated';
      for (let depth = 0; depth < 100_000; depth++) state = [state];
      expect(matchesEventPattern(PATTERNS.ec2Termination, withDetail({ state }))).toBe(true);
    });

    it('terminates on cyclic event arrays', () => {
      const state: unknown[] = ['running'];
      state.push(state);
      expect(matchesEventPattern(PATTERNS.ec2Termination, withDetail({ state }))).toBe(false);
      expect(matchesEventPattern({ detail: { state: ['running'] } }, withDetail({ state }))).toBe(true);
    });

    it('returns false for events whose fields cannot be read', () => {
      const throwing = {
        get source(): string {
          throw new Error('boom');
        },
      };
      const proxy = new Proxy(
        {},
        {
          getOwnPropertyDescriptor() {
            throw new Error('boom');
          },
        },
      );
      expect(matchesEventPattern(PATTERNS.ec2OrFargate, throwing)).toBe(false);
      expect(matchesEventPattern(PATTERNS.ec2OrFargate, proxy)).toBe(false);
    });

    it('ignores inherited properties such as constructor and toString', () => {
      expect(matchesEventPattern(PATTERNS.ec2OrFargate, Object.create({ source: 'aws.ec2' }))).toBe(false);
      expect(matchesEventPattern({ constructor: [{ exists: true }] }, {})).toBe(false);
      expect(matchesEventPattern({ toString: [{ exists: false }] }, {})).toBe(true);
    });

    it('treats non-JSON values as absent', () => {
      const event = withDetail({ state: undefined, count: 10n, callback: () => 'terminated' });
      expect(matchesEventPattern({ detail: { state: [{ exists: false }] } }, event)).toBe(true);
      expect(matchesEventPattern({ detail: { count: [{ exists: true }] } }, event)).toBe(false);
      expect(matchesEventPattern({ detail: { callback: [{ exists: true }] } }, event)).toBe(false);
    });
  });
});

describe('assertValidEventPattern', () => {
  // Source: every pattern documented on the pages cited above.
  it.each(Object.entries(PATTERNS))('accepts the documented %s pattern', (_name, pattern) => {
    expect(() => assertValidEventPattern(pattern)).not.toThrow();
  });

  it('accepts field names that spell an operator outside "$or"', () => {
    expect(() => assertValidEventPattern({ detail: { prefix: ['x'], exists: [true] } })).not.toThrow();
  });

  it('rejects a leaf that is not an array, naming its key', () => {
    expect(() => assertValidEventPattern({ detail: { state: 'running' } })).toThrow(
      /at "detail\.state": expected an array of match values or a nested object/,
    );
  });

  it('rejects an operator that is not wrapped in an array', () => {
    expect(() => assertValidEventPattern({ detail: { state: { prefix: 'init' } } })).toThrow(
      /at "detail\.state\.prefix": the "prefix" operator must be inside an array/,
    );
  });

  it('rejects an unknown operator, naming the key and the operator', () => {
    expect(() => assertValidEventPattern({ source: [{ contains: 'ec2' }] })).toThrow(
      /at "source": unknown operator "contains"/,
    );
  });

  it.each([
    [['<', '10']],
    [['>', 0, '>', 5]],
    [['=', 1, '<', 2]],
    [['>', 5, '<', 1]],
    [['!=', 1]],
    [['<']],
    [[]],
    ['< 10'],
  ])('rejects the numeric operand %j', (operand) => {
    expect(() => assertValidEventPattern({ detail: { 'c-count': [{ numeric: operand }] } })).toThrow(
      /at "detail\.c-count": "numeric"/,
    );
  });

  it.each([
    [[1, 'a']],
    [[]],
    [null],
    [true],
    [{ prefix: '' }],
    [{ contains: 'x' }],
    [{ prefix: 'a', suffix: 'b' }],
    [{ 'equals-ignore-case': [1] }],
    [{ wildcard: 'a**' }],
  ])('rejects the anything-but operand %j', (operand) => {
    expect(() => assertValidEventPattern({ detail: { state: [{ 'anything-but': operand }] } })).toThrow(
      /at "detail\.state": "anything-but"/,
    );
  });

  it.each([
    ['prefix', 5],
    ['prefix', { 'equals-ignore-case': 5 }],
    ['suffix', { 'equals-ignore-case': '.png', extra: 1 }],
    ['equals-ignore-case', ['a']],
    ['exists', 'true'],
    ['wildcard', 'a**b'],
    ['wildcard', 'a\\b'],
    ['wildcard', 'a\\'],
    ['cidr', '10.0.0.0/33'],
    ['cidr', '10.0.0.0'],
    ['cidr', '300.0.0.0/8'],
    ['cidr', 'fe80::/129'],
    ['cidr', '2001:db8:1:2:3:4:5/32'],
    ['cidr', '1:2:3:4:5:6:7:8:9/64'],
    ['cidr', '2001:db8::1::/64'],
  ])('rejects the %s operand %j', (operator, operand) => {
    expect(() => assertValidEventPattern({ detail: { field: [{ [operator]: operand }] } })).toThrow(
      new RegExp(`at "detail\\.field": "${operator}"`),
    );
  });

  it('rejects a match expression with two operators', () => {
    expect(() => assertValidEventPattern({ source: [{ prefix: 'a', suffix: 'b' }] })).toThrow(
      /at "source": a match expression must have exactly one operator/,
    );
  });

  it('rejects empty arrays, empty objects, nested arrays and non-JSON match values', () => {
    expect(() => assertValidEventPattern({ source: [] })).toThrow(/at "source": empty arrays are not allowed/);
    expect(() => assertValidEventPattern({ detail: {} })).toThrow(/at "detail": empty objects are not allowed/);
    expect(() => assertValidEventPattern({})).toThrow(/at "\(root\)": empty objects are not allowed/);
    expect(() => assertValidEventPattern({ source: [['aws.ec2']] })).toThrow(/at "source": match values must be/);
    expect(() => assertValidEventPattern({ source: [undefined] })).toThrow(/at "source": match values must be/);
  });

  it('rejects a malformed $or, naming where it is', () => {
    expect(() => assertValidEventPattern({ detail: { $or: [{ a: ['x'] }] } })).toThrow(
      /at "detail\.\$or": "\$or" must be an array of at least two objects/,
    );
    expect(() => assertValidEventPattern({ $or: { a: ['x'] } })).toThrow(/at "\$or"/);
    expect(() => assertValidEventPattern({ $or: [{ a: ['x'] }, 'b'] })).toThrow(
      /at "\$or\[1\]": expected a JSON object/,
    );
    expect(() => assertValidEventPattern({ $or: [{ prefix: ['x'] }, { b: ['c'] }] })).toThrow(
      /at "\$or\[0\]\.prefix": "prefix" is an operator/,
    );
  });

  it('rejects a pattern that is not an object', () => {
    expect(() => assertValidEventPattern(null as unknown as EventPattern)).toThrow(
      /at "\(root\)": expected a JSON object/,
    );
    expect(() => assertValidEventPattern([] as unknown as EventPattern)).toThrow(
      /at "\(root\)": expected a JSON object/,
    );
  });
});
