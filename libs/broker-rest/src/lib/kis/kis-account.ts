import { InvalidArgumentError } from '@qts/broker-domain';

/** A KIS account number split as the API wants it: CANO (8 digits) and ACNT_PRDT_CD (2 digits). */
export interface KisAccount {
  cano: string;
  acntPrdtCd: string;
}

export function requireKisAccount(account: KisAccount): KisAccount {
  if (
    account === null ||
    typeof account !== 'object' ||
    typeof account.cano !== 'string' ||
    !/^\d{8}$/.test(account.cano)
  ) {
    throw new InvalidArgumentError('KIS account cano must be the 8-digit account number', { field: 'cano' });
  }
  if (typeof account.acntPrdtCd !== 'string' || !/^\d{2}$/.test(account.acntPrdtCd)) {
    throw new InvalidArgumentError('KIS account acntPrdtCd must be the 2-digit product code (e.g. "01")', {
      field: 'acntPrdtCd',
    });
  }
  return account;
}
