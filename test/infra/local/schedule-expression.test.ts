import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from '../../../infra/local/schedule-expression.ts';

const at = (iso: string) => new Date(iso);

describe('parseScheduleExpression', () => {
  it('adds the period of a rate expression', () => {
    expect(parseScheduleExpression('rate(5 minutes)').next(at('2026-01-01T00:00:00Z'))).toEqual(
      at('2026-01-01T00:05:00Z'),
    );
    expect(parseScheduleExpression('rate(1 day)').next(at('2026-01-01T10:00:00Z'))).toEqual(at('2026-01-02T10:00:00Z'));
  });

  it('finds the next daily cron firing in UTC', () => {
    const daily = parseScheduleExpression('cron(0 6 * * ? *)');
    expect(daily.next(at('2026-03-10T05:59:00Z'))).toEqual(at('2026-03-10T06:00:00Z'));
    expect(daily.next(at('2026-03-10T06:00:00Z'))).toEqual(at('2026-03-11T06:00:00Z'));
  });

  it('reads weekday names and EventBridge weekday numbers (1 = Sunday)', () => {
    // 2026-03-10 is a Tuesday.
    expect(parseScheduleExpression('cron(30 8 ? * MON-FRI *)').next(at('2026-03-13T09:00:00Z'))).toEqual(
      at('2026-03-16T08:30:00Z'),
    );
    expect(parseScheduleExpression('cron(0 0 ? * 1 *)').next(at('2026-03-10T00:00:00Z'))).toEqual(
      at('2026-03-15T00:00:00Z'),
    );
  });

  it('supports steps and lists', () => {
    const every15 = parseScheduleExpression('cron(0/15 * * * ? *)');
    expect(every15.next(at('2026-01-01T00:16:00Z'))).toEqual(at('2026-01-01T00:30:00Z'));
    expect(parseScheduleExpression('cron(0 9,17 1 JAN,JUL ? *)').next(at('2026-01-01T10:00:00Z'))).toEqual(
      at('2026-01-01T17:00:00Z'),
    );
  });

  it.each(['rate(0 minutes)', 'rate(5 weeks)', 'cron(* * * *)', 'cron(61 * * * ? *)', 'every day'])(
    'rejects %s',
    (expression) => {
      expect(() => parseScheduleExpression(expression)).toThrow();
    },
  );
});
