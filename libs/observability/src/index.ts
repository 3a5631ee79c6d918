export * from './logger';
export * from './metrics';
export * from './health-checks';
export * from './http-request-metrics';
export * from './service-http.tokens';
export * from './service-http.module';
export * from './bootstrap-service';
export * from './tracing';
