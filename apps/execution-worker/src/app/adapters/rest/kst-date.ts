import { KST_OFFSET_MS } from '@qts/broker-domain';

/** The KST calendar date of an instant as YYYYMMDD, the date format of KIS and Kiwoom inquiries. */
export function kstDate(instant: Date): string {
  return new Date(instant.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

/** The KST date `days` calendar days before the instant's KST date, as YYYYMMDD. */
export function kstDateDaysBefore(instant: Date, days: number): string {
  return kstDate(new Date(instant.getTime() - days * 86_400_000));
}
