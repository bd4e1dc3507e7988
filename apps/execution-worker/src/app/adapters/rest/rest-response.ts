/** What a broker REST client returns: the HTTP status and the body (parsed JSON, or the raw text). */
export interface RestResponse {
  status: number;
  body: unknown;
}
