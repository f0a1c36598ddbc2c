/**
 * Dates as a messenger shows them, in the user's locale and time zone (Intl, no date library):
 * a time today, "Yesterday", a weekday within the week, a date this year, a full date before.
 * Formatters are made once per locale and options: rows format on every render, and building an
 * Intl formatter costs far more than using one.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

function relativeFormat(locale: string | undefined, options: Intl.RelativeTimeFormatOptions) {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = relativeFormats.get(key);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, options);
    relativeFormats.set(key, format);
  }
  return format;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

export function formatListTime(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days <= 0) return dateFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
  if (days === 1) return relativeFormat(locale, { numeric: 'auto' }).format(-1, 'day');
  if (days < 7) return dateFormat(locale, { weekday: 'short' }).format(date);
  if (date.getFullYear() === now.getFullYear()) {
    return dateFormat(locale, { month: 'short', day: 'numeric' }).format(date);
  }
  return dateFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** The heading above a day's messages in a conversation. */
export function formatDayHeading(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days === 0 || days === 1) {
    const text = relativeFormat(locale, { numeric: 'auto' }).format(-days, 'day');
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return dateFormat(locale, {
    weekday: 'long',
    year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(date);
}

/**
 * A message's time under its text: "now" and "12 min. ago" within the hour (so the caller
 * refreshes it, see useNow), the time of day after that; the day is in the heading above.
 */
export function formatMessageTime(iso: string, now = new Date(), locale?: string): string {
  const date = new Date(iso);
  const minutes = Math.floor((now.getTime() - date.getTime()) / MINUTE_MS);
  if (minutes >= 0 && minutes < 1) return relativeFormat(locale, { numeric: 'auto' }).format(0, 'second');
  if (minutes >= 1 && minutes < 60)
    return relativeFormat(locale, { numeric: 'auto', style: 'short' }).format(-minutes, 'minute');
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
}

/** The full local date and time, for a message's tooltip. */
export function formatFullTime(iso: string, locale?: string): string {
  return dateFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

/** Whether two times fall on one local day (the user's time zone). */
export function isSameDay(a: string, b: string): boolean {
  return localDayKey(a) === localDayKey(b);
}

/**
 * The local day of a time as "y-m-d" (the user's time zone): equal keys, same day. Why a key:
 * a conversation's day headings compare it per message, and it is cached per message, so the
 * rows are not rebuilt with Dates each time a page arrives.
 */
export function localDayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}
