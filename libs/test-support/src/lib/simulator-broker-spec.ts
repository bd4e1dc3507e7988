import { AccountType, BrokerType } from '@qts/broker-domain';

export interface SimulatorAccountSpec {
  id: string;
  type: AccountType | `${AccountType}`;
  /** Display name in brokers.yaml; default from the type. */
  name?: string;
}

/** A broker to simulate (and to list in a brokers.yaml for the apps under test). */
export interface SimulatorBrokerSpec {
  id: string;
  type: BrokerType | `${BrokerType}`;
  /**
   * Rate-limit preset: kis-real, kis-paper, creon, kiwoom; 'none' disables the simulator's enforcement
   * (only the simulator understands 'none'). Default: kis-paper (kis-real with a REAL account), creon,
   * kiwoom by type.
   */
  preset?: string;
  /** Default: one PAPER account per type, as in config/brokers.yaml. */
  accounts?: SimulatorAccountSpec[];
  /** brokers.yaml `required` (readiness of the apps); default true. */
  required?: boolean;
}

/** One KIS broker 'kis', preset kis-paper, PAPER account '50012345-01'. */
export const DEFAULT_SIMULATOR_BROKERS: readonly SimulatorBrokerSpec[] = Object.freeze([
  { id: 'kis', type: BrokerType.KIS, preset: 'kis-paper', accounts: [{ id: '50012345-01', type: AccountType.PAPER }] },
]);

const DEFAULT_ACCOUNT_ID: Readonly<Record<BrokerType, string>> = {
  [BrokerType.KIS]: '50012345-01',
  [BrokerType.CREON]: '12345678',
  [BrokerType.KIWOOM]: '5012345601',
};

export function accountsOf(spec: SimulatorBrokerSpec): SimulatorAccountSpec[] {
  return spec.accounts !== undefined && spec.accounts.length > 0
    ? spec.accounts
    : [{ id: DEFAULT_ACCOUNT_ID[spec.type as BrokerType], type: AccountType.PAPER }];
}

export function presetOf(spec: SimulatorBrokerSpec): string {
  if (spec.preset !== undefined) {
    return spec.preset;
  }
  switch (spec.type as BrokerType) {
    case BrokerType.KIS:
      return accountsOf(spec).some((account) => account.type === AccountType.REAL) ? 'kis-real' : 'kis-paper';
    case BrokerType.CREON:
      return 'creon';
    case BrokerType.KIWOOM:
      return 'kiwoom';
  }
}
