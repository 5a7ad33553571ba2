import { parseRegistryDate } from '../common/registry-date';

/** xs:date and xs:dateTime with a zone ("2015-03-27-04:00", "2018-08-24T19:40:35.913-04:00"). */
const XS_DATE = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The ISO date of an XML date value. The zone is dropped, not applied: a listing takes effect on
 * the date the registry states, and shifting it to UTC would move some listings a day.
 */
export function parseXmlDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const match = XS_DATE.exec(text);
  return parseRegistryDate(match ? match[1]! : text);
}

/** The ISO date of a British day-first date ("31/07/2024", "1/7/2024"), as the UK lists write them. */
export function parseDayFirstDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw.trim());
  if (!match) return parseXmlDate(raw);
  return parseRegistryDate(`${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`);
}
