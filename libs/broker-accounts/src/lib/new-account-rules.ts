import { AccountType, InvalidArgumentError } from '@qts/broker-domain';
import type { NewAccount } from './listed-account';

/**
 * Account numbers as the brokers write them: digits and letters, optionally in dash-separated groups
 * ("50012345-01", "5012345601", "12345678"). Bounded well inside the 64-character columns of both services.
 */
export const ACCOUNT_NUMBER_PATTERN = /^[0-9A-Za-z]+(-[0-9A-Za-z]+)*$/;
export const ACCOUNT_NUMBER_MAX_LENGTH = 32;
export const ACCOUNT_NAME_MAX_LENGTH = 40;
/** C0 and C1 control characters (a name is shown on pages and in logs). */
function hasControlCharacter(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * The account as it will be stored (name trimmed), or InvalidArgumentError naming the first bad field. Applied
 * identically by the gateway and the worker, so one refuses exactly what the other would.
 */
export function normalizeNewAccount(input: NewAccount): NewAccount {
  const accountId = typeof input.accountId === 'string' ? input.accountId.trim() : '';
  if (accountId.length > ACCOUNT_NUMBER_MAX_LENGTH || !ACCOUNT_NUMBER_PATTERN.test(accountId)) {
    throw new InvalidArgumentError(
      `accountId must be the account number: letters and digits, optionally in groups separated by dashes (e.g. 50012345-01), at most ${ACCOUNT_NUMBER_MAX_LENGTH} characters`,
      { field: 'accountId' },
    );
  }
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > ACCOUNT_NAME_MAX_LENGTH || hasControlCharacter(name)) {
    throw new InvalidArgumentError(`name must be 1-${ACCOUNT_NAME_MAX_LENGTH} characters without control characters`, {
      field: 'name',
    });
  }
  if (input.type !== AccountType.REAL && input.type !== AccountType.PAPER) {
    throw new InvalidArgumentError('type must be REAL (실전투자) or PAPER (모의투자)', { field: 'type' });
  }
  return { brokerId: input.brokerId, accountId, name, type: input.type };
}
