import { KST_OFFSET_MS } from '@qts/broker-domain';

/** The KST calendar date of an instant as YYYYMMDD, the date format of KIS and Kiwoom inquiries. */
export function kstDate(instant: Date): string {
  return new Date(instant.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The KST date `days` calendar days before the instant's KST date, as YYYYMMDD. */
export function kstDateDaysBefore(instant: Date, days: number): string {
  return kstDate(new Date(instant.getTime() - days * 86_400_000));
}

/**
 * The instant of a KST date (YYYYMMDD) and time (HHMMSS or HH:MM:SS) as the brokers write them; undefined
 * when either is missing or malformed.
 */
export function kstDateTime(date: string | undefined, time: string | undefined): Date | undefined {
  const day = date?.trim().replace(/-/g, '');
  const clock = time?.trim().replace(/:/g, '');
  if (day === undefined || clock === undefined || !/^\d{8}$/.test(day) || !/^\d{6}$/.test(clock)) {
    return undefined;
  }
  const iso = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${clock.slice(0, 2)}:${clock.slice(2, 4)}:${clock.slice(4, 6)}+09:00`;
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
