/**
 * Where a service's spans go, read from the standard OpenTelemetry variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
 *
 * - `none`: no exporter. Nothing is configured, or `OTEL_TRACES_EXPORTER=none`:
 *   no tracer provider is registered, so no span is recorded on the hot path,
 *   while the `traceparent` headers still travel with every record.
 * - `otlp-json`: OTLP over HTTP with JSON bodies, the exporter this project
 *   has always shipped, and the default when an endpoint is set without a
 *   protocol (the specification's default is `http/protobuf`; a collector
 *   accepts both, and the e2e receiver reads JSON). `url` is set only when the
 *   endpoint came from the caller rather than the environment, which the
 *   exporter reads itself.
 * - `from-env`: anything else (`http/protobuf`, `grpc`, `console`, `zipkin`,
 *   several exporters): the Node SDK builds the exporters from the variables.
 */
export type TraceExport = { kind: 'none' } | { kind: 'otlp-json'; url?: string } | { kind: 'from-env' };

export interface TracingSettings {
  /** `OTEL_SDK_DISABLED=true`: no SDK at all, not even W3C propagation on HTTP. */
  disabled: boolean;
  /** `claims-<service>`, unless `OTEL_SERVICE_NAME` or `OTEL_RESOURCE_ATTRIBUTES` names it (the SDK reads those). */
  serviceName: string | undefined;
  export: TraceExport;
}

type Env = Record<string, string | undefined>;

function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function list(env: Env, name: string): string[] {
  return (setting(env, name) ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

export function tracingSettingsFromEnv(
  env: Env,
  options: {
    service: string;
    /** The app config's OTLP endpoint, honoured when no standard endpoint variable is set. */
    otlpEndpoint?: string | undefined;
  },
): TracingSettings {
  const envEndpoint = setting(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? setting(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const aliasEndpoint = options.otlpEndpoint?.trim() || undefined;
  const protocol = (
    setting(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? setting(env, 'OTEL_EXPORTER_OTLP_PROTOCOL')
  )?.toLowerCase();
  const exporters = list(env, 'OTEL_TRACES_EXPORTER');
  const otlp = (): TraceExport => {
    if (protocol !== undefined && protocol !== 'http/json') return { kind: 'from-env' };
    // Like the standard variable, the alias is a base URL to which the signal path is appended.
    return envEndpoint || !aliasEndpoint
      ? { kind: 'otlp-json' }
      : { kind: 'otlp-json', url: `${aliasEndpoint.replace(/\/+$/, '')}/v1/traces` };
  };
  let traceExport: TraceExport;
  if (exporters.length === 0) traceExport = envEndpoint || aliasEndpoint ? otlp() : { kind: 'none' };
  else if (exporters.length === 1 && exporters[0] === 'none') traceExport = { kind: 'none' };
  else if (exporters.length === 1 && exporters[0] === 'otlp') traceExport = otlp();
  else traceExport = { kind: 'from-env' };
  return {
    disabled: setting(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true',
    serviceName:
      setting(env, 'OTEL_SERVICE_NAME') || /(^|,)\s*service\.name\s*=/.test(env['OTEL_RESOURCE_ATTRIBUTES'] ?? '')
        ? undefined
        : `claims-${options.service}`,
    export: traceExport,
  };
}
