/** DI token of the service's prom-client Registry. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
