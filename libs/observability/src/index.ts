export * from './logger';
export * from './metrics';
export * from './service-http.module';
export * from './bootstrap-service';
export * from './tracing';
