/**
 * Where a paged Kiwoom inquiry continues: the response headers cont-yn Y and next-key, sent back as the
 * request headers cont-yn and next-key (Kiwoom-Securities/Kiwoom-REST-API kiwoom/core/client.py fetch_page).
 */
export interface KiwoomContinuation {
  more: boolean;
  nextKey: string;
}

export function readKiwoomContinuation(headers: Readonly<Record<string, string>> | undefined): KiwoomContinuation {
  const nextKey = (headers?.['next-key'] ?? '').trim();
  return { more: (headers?.['cont-yn'] ?? '').trim().toUpperCase() === 'Y' && nextKey !== '', nextKey };
}

export function nextKiwoomPageHeaders(continuation: KiwoomContinuation): Record<string, string> {
  return { 'cont-yn': 'Y', 'next-key': continuation.nextKey };
}
