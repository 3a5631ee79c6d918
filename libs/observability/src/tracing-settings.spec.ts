import { tracingSettingsFromEnv } from './tracing-settings';

const service = { service: 'normalizer' };

describe('tracingSettingsFromEnv', () => {
  it('exports nothing when no endpoint or exporter is configured', () => {
    expect(tracingSettingsFromEnv({}, service)).toEqual({
      disabled: false,
      serviceName: 'claims-normalizer',
      export: { kind: 'none' },
    });
  });

  it('exports OTLP/HTTP JSON to the endpoint the standard variables name, which the exporter reads itself', () => {
    expect(tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, service).export).toEqual({
      kind: 'otlp-json',
    });
    expect(
      tracingSettingsFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, service).export,
    ).toEqual({ kind: 'otlp-json' });
  });

  it("honours the app config's endpoint as an alias, appending the traces path like the standard variable", () => {
    expect(tracingSettingsFromEnv({}, { ...service, otlpEndpoint: 'http://collector:4318/' }).export).toEqual({
      kind: 'otlp-json',
      url: 'http://collector:4318/v1/traces',
    });
  });

  it('leaves other protocols and exporters to the SDK, which builds them from the same variables', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(
      tracingSettingsFromEnv({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, service).export.kind,
    ).toBe('from-env');
    expect(
      tracingSettingsFromEnv({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, service).export.kind,
    ).toBe('from-env');
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'console' }, service).export.kind).toBe('from-env');
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp,console' }, service).export.kind).toBe('from-env');
    expect(tracingSettingsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' }, service).export.kind).toBe('otlp-json');
  });

  it('exports nothing with OTEL_TRACES_EXPORTER=none, whatever endpoint is set', () => {
    expect(
      tracingSettingsFromEnv(
        { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
        service,
      ).export,
    ).toEqual({ kind: 'none' });
  });

  it('reads OTEL_SDK_DISABLED and leaves the service name to OTEL_SERVICE_NAME when it is set', () => {
    const settings = tracingSettingsFromEnv(
      { OTEL_SDK_DISABLED: 'TRUE', OTEL_SERVICE_NAME: 'claims-normalizer-eu' },
      service,
    );
    expect(settings.disabled).toBe(true);
    expect(settings.serviceName).toBeUndefined();
    expect(tracingSettingsFromEnv({ OTEL_SDK_DISABLED: 'false' }, service).disabled).toBe(false);
    expect(
      tracingSettingsFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=eu,service.name=edge' }, service)
        .serviceName,
    ).toBeUndefined();
  });
});
