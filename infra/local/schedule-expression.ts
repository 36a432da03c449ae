/**
 * Computes when an EventBridge Scheduler expression next fires (UTC): `rate(N unit)` and six-field
 * `cron(minutes hours day-of-month month day-of-week year)`, as the local scheduler needs.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

type FieldMatcher = (value: number) => boolean;

function parseField(field: string, min: number, max: number, names: readonly string[] = [], offset = 0): FieldMatcher {
  if (field === '*' || field === '?') return () => true;
  const toNumber = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    const value = named >= 0 ? named + offset : Number(token);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`cron field value out of range`);
    return value;
  };
  const parts = field.split(',').map((part) => {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error('cron step must be a positive integer');
    const [startText = '', endText] = range === '*' ? [String(min), String(max)] : range.split('-');
    const start = toNumber(startText);
    const end = endText === undefined ? (stepText === undefined ? start : max) : toNumber(endText);
    return (value: number) => value >= start && value <= end && (value - start) % step === 0;
  });
  return (value) => parts.some((matches) => matches(value));
}

export interface Schedule {
  /** The next firing strictly after `from`. */
  next(from: Date): Date;
}

export function parseScheduleExpression(expression: string): Schedule {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate?.[1] && rate[2]) {
    const everyMs = Number(rate[1]) * (UNIT_MS[rate[2].replace(/s$/, '')] ?? 0);
    if (everyMs <= 0) throw new Error(`Invalid schedule expression: ${expression}`);
    return { next: (from) => new Date(from.getTime() + everyMs) };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = cron?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6) throw new Error(`Invalid schedule expression: ${expression}`);
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  const matchMinute = parseField(minutes, 0, 59);
  const matchHour = parseField(hours, 0, 23);
  const matchDay = parseField(dayOfMonth, 1, 31);
  const matchMonth = parseField(month, 1, 12, MONTHS, 1);
  // EventBridge numbers weekdays 1 (Sunday) to 7 (Saturday).
  const matchWeekday = parseField(dayOfWeek, 1, 7, WEEKDAYS, 1);
  const matchYear = parseField(year, 1970, 2199);
  return {
    next(from) {
      const candidate = new Date(Math.floor(from.getTime() / 60_000) * 60_000 + 60_000);
      // Minute by minute for at most ~4 years: slow only for pathological expressions, fine for a dev runtime.
      for (let step = 0; step < 4 * 366 * 1440; step++) {
        if (
          matchMinute(candidate.getUTCMinutes()) &&
          matchHour(candidate.getUTCHours()) &&
          matchDay(candidate.getUTCDate()) &&
          matchMonth(candidate.getUTCMonth() + 1) &&
          matchWeekday(candidate.getUTCDay() + 1) &&
          matchYear(candidate.getUTCFullYear())
        ) {
          return candidate;
        }
        candidate.setTime(candidate.getTime() + 60_000);
      }
      throw new Error(`Schedule expression never fires: ${expression}`);
    },
  };
}
