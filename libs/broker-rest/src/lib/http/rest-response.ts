/** What a broker REST client returns: the HTTP status, the body (parsed JSON, or the raw text) and headers. */
export interface RestResponse {
  status: number;
  body: unknown;
  /**
   * The response headers the adapters read, with lower-case names: `tr_cont` (KIS continuation),
   * `cont-yn` and `next-key` (Kiwoom continuation). Absent when the client reads none.
   */
  headers?: Readonly<Record<string, string>>;
}
