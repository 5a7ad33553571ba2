/**
 * Dates as Chinese registries publish them: 2023-01-05, 2023/1/5, 2023.1.5, 2023年1月5日, 20230105,
 * each optionally followed by a time (12:30, 12:30:00.0, 12时30分, T12:30:00+08:00, 123000). The time is
 * dropped: listings take effect on the registry's local date, so no time-zone shift is applied.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T\s]+(.*))?$/;
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*(.*))?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:[T\s]+(.*))?$/;
const TIME =
  /^\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2}(?:\.\d+)?\s*秒?|\s*分)?\s*(?:Z|[+-]\d{2}:?\d{2})?$|^\d{1,2}\s*时$|^\d{4}(?:\d{2})?$/;

/** The ISO date (YYYY-MM-DD) a registry date stands for, or undefined when it is not a valid date. */
export function parseRegistryDate(raw: string): string | undefined {
  if (ISO_DATE.test(raw)) return isoDate(Number(raw.slice(0, 4)), Number(raw.slice(5, 7)), Number(raw.slice(8, 10)));
  // NFKC folds full-width digits and punctuation (２０２３／１／５) that hand-made exports contain.
  const text = raw.normalize('NFKC').trim();
  if (text.length === 0) return undefined;
  let parts: [string, string, string, string | undefined] | undefined;
  let match = SEPARATED.exec(text);
  if (match) parts = [match[1]!, match[3]!, match[4]!, match[5]];
  else if ((match = CHINESE.exec(text))) parts = [match[1]!, match[2]!, match[3]!, match[4]];
  else if ((match = COMPACT.exec(text))) parts = [match[1]!, match[2]!, match[3]!, match[4]];
  if (!parts) return undefined;
  const [year, month, day, time] = parts;
  if (time !== undefined && time.trim().length > 0 && !TIME.test(time.trim())) return undefined;
  return isoDate(Number(year), Number(month), Number(day));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
