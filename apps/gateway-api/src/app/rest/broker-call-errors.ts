/** The error statuses every broker call of the REST API can answer with (OpenAPI documentation). */
export const BROKER_CALL_ERRORS = [400, 401, 403, 404, 429, 503, 504] as const;
