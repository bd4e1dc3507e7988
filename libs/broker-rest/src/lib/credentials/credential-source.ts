/**
 * Where one credential comes from: the name of an environment variable, or a file (a mounted Kubernetes
 * Secret). Configuration never holds the secret itself.
 */
export type CredentialSource = { readonly env: string } | { readonly file: string };

/** The credential sources of one REST broker connection (one app key, one account). */
export interface RestCredentialSources {
  readonly appKey: CredentialSource;
  readonly appSecret: CredentialSource;
  /**
   * The account number: KIS CANO (8 digits, or "CANO-ACNT_PRDT_CD"), Kiwoom's account. Optional: without
   * it the configured account id is the account number.
   */
  readonly accountNumber?: CredentialSource;
  /** KIS ACNT_PRDT_CD (2 digits, e.g. "01"), when the account number does not carry it. */
  readonly accountProductCode?: CredentialSource;
}
