/** The process's Prometheus registry, provided by ServiceHttpModule to whoever adds metrics. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
/** The service's readiness checks, as given to ServiceHttpModule.forRoot. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
/** The service's ReadinessGate: bootstrapService drains it on SIGTERM before anything stops. */
export const READINESS_GATE = Symbol('READINESS_GATE');
