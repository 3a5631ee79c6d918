import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SERVICE_NODE_OPTIONS } from '@claims/harness';
import {
  REPO_ROOT,
  appServiceProblems,
  appServices,
  composeSpecErrors,
  imageWritableFolders,
  interpolate,
  missingImagePaths,
  missingVolumeSources,
  parseCompose,
  readEnvFile,
  unwritableIngestFolders,
  type ComposeDocument,
} from './compose-checks';

const COMPOSE_TEXT = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
const ENV_EXAMPLE = readEnvFile(join(REPO_ROOT, '.env.example'));
const DOCKERFILE = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

/** The compose file as an engine sees it with the variables of .env.example. */
function composeWith(text: string, variables: Record<string, string> = ENV_EXAMPLE): ComposeDocument {
  return interpolate(parseCompose(text), variables).document as ComposeDocument;
}

describe('docker-compose.yml', () => {
  const compose = composeWith(COMPOSE_TEXT);

  it('is valid under the compose specification JSON schema', () => {
    expect(composeSpecErrors(compose)).toEqual([]);
  });

  it('runs the whole stack: Kafka, Postgres, the five services, the demo data loader, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'kafka',
        'postgres',
        'api',
        'ingestor',
        'normalizer',
        'enricher',
        'metrics',
        'demo-loader',
        'prometheus',
        'grafana',
      ].sort(),
    );
    expect(
      appServices(compose).map((service) => `${service.name}=${service.app}${service.oneShot ? ' (one-shot)' : ''}`),
    ).toEqual([
      'api=api',
      'ingestor=ingestor',
      'normalizer=normalizer',
      'enricher=enricher',
      'metrics=metrics',
      'demo-loader=ingestor (one-shot)',
    ]);
  });

  it('has the demo data loader replay every sample the demo replays, each a file the image holds', () => {
    const loader = appServices(compose).find((service) => service.name === 'demo-loader');
    const demoSamples = [
      ...readFileSync(join(REPO_ROOT, 'scripts', 'demo.mjs'), 'utf8').matchAll(/^ {2}'([^']+)',$/gm),
    ].map((match) => `/app/data/${match[1]}`);
    expect(demoSamples.length).toBeGreaterThan(10);
    expect(loader?.commandPaths).toEqual(demoSamples);
  });

  it('reads only variables that .env.example documents, and .env.example holds no variable it does not read', () => {
    const { referenced, missing } = interpolate(parseCompose(COMPOSE_TEXT), ENV_EXAMPLE);
    expect(missing).toEqual([]);
    expect([...referenced].sort()).toEqual(Object.keys(ENV_EXAMPLE).sort());
  });

  it('starts kafka and postgres without any variable set, as the test bootstrap runs them', () => {
    const { missing } = interpolate(parseCompose(COMPOSE_TEXT), {});
    expect(missing).toEqual([]);
  });

  it('gives each service only variables its config reads, with values the config accepts, on the port it listens on', () => {
    expect(appServices(compose).flatMap(appServiceProblems)).toEqual([]);
  });

  it("runs each service with the harness's Node options", () => {
    for (const service of ['ingestor', 'normalizer', 'enricher', 'metrics'] as const) {
      const environment = appServices(compose).find((candidate) => candidate.name === service)?.environment;
      expect(environment?.['NODE_OPTIONS']).toBe(SERVICE_NODE_OPTIONS[service].join(' '));
    }
  });

  it('has the ingestor refuse to start without INGESTOR_SERVICE_TOKEN, rather than listen where the API cannot reach it', () => {
    const { INGESTOR_SERVICE_TOKEN: _left, ...withoutToken } = ENV_EXAMPLE;
    expect(appServices(composeWith(COMPOSE_TEXT, withoutToken)).flatMap(appServiceProblems)).toEqual([
      expect.stringMatching(/^ingestor: its config refuses the environment: .*INGESTOR_SERVICE_TOKEN/),
    ]);
  });

  it("gives the ingestor folders its user can write for the API's uploads and the inbox", () => {
    expect(unwritableIngestFolders(compose, DOCKERFILE)).toEqual([]);
  });

  it('builds one image, under the name the Kubernetes dev overlay runs', () => {
    const overlay = parse(
      readFileSync(join(REPO_ROOT, 'deploy', 'k8s', 'overlays', 'dev', 'kustomization.yaml'), 'utf8'),
    ) as { images: Array<{ name: string; newName?: string; newTag?: string }> };
    const devImage = overlay.images.find((image) => image.name === 'claims-pipeline');
    const built = Object.entries(compose.services)
      .filter(([, service]) => service.build !== undefined)
      .map(([name, service]) => `${name}=${String(service.image)}`);
    expect(built).toEqual(
      appServices(compose).map(
        (service) => `${service.name}=${devImage?.newName ?? 'claims-pipeline'}:${String(devImage?.newTag)}`,
      ),
    );
  });

  it("turns off the image's health check for a one-shot service, which serves no port", () => {
    expect(DOCKERFILE).toMatch(/^HEALTHCHECK /m);
    const oneShots = appServices(compose).filter((service) => service.oneShot);
    expect(oneShots.map((service) => service.name)).toEqual(['demo-loader']);
    for (const service of oneShots) expect(compose.services[service.name]?.['healthcheck']).toEqual({ disable: true });
  });

  it('mounts only files that exist in the repository', () => {
    expect(missingVolumeSources(compose)).toEqual([]);
  });

  it('points the services only at files the image holds', () => {
    expect(missingImagePaths(appServices(compose), DOCKERFILE)).toEqual([]);
  });

  it('has Prometheus scrape each service at its compose name and port', () => {
    const prometheus = parse(readFileSync(join(REPO_ROOT, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    expect(targets.sort()).toEqual(
      appServices(compose)
        .filter((service) => !service.oneShot)
        .map((service) => `${service.name}:${service.environment['PORT']}`)
        .sort(),
    );
  });

  it('mounts the Grafana provisioning and dashboards where the provisioning files expect them', () => {
    expect(compose.services['grafana']?.volumes).toEqual([
      './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
      './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
    ]);
  });

  describe('on a deliberately broken copy', () => {
    it('names a file the demo data loader replays that the image does not hold', () => {
      const broken = composeWith(
        COMPOSE_TEXT.replace('/app/data/pended/pended-queue-2024-03-15.csv', '/app/data/pended/no-such-export.csv'),
      );
      expect(missingImagePaths(appServices(broken), DOCKERFILE)).toEqual([
        'demo-loader: its command names /app/data/pended/no-such-export.csv, not in the repository',
      ]);
    });

    it('fails the schema on a misspelt key, naming it', () => {
      const broken = COMPOSE_TEXT.replace(
        '    depends_on:\n      postgres: { condition: service_healthy }\n',
        '    depends_onn:\n      postgres: { condition: service_healthy }\n',
      );
      expect(broken).not.toBe(COMPOSE_TEXT);
      expect(composeSpecErrors(composeWith(broken))).toEqual(
        expect.arrayContaining([expect.stringContaining('must NOT have additional properties: depends_onn')]),
      );
    });

    it('fails the schema on a value of the wrong shape', () => {
      const broken = COMPOSE_TEXT.replace("    ports: ['127.0.0.1:3002:3002']", '    ports: 3002');
      expect(broken).not.toBe(COMPOSE_TEXT);
      expect(composeSpecErrors(composeWith(broken)).length).toBeGreaterThan(0);
    });

    it('names a variable the service config does not read', () => {
      const broken = COMPOSE_TEXT.replace(
        '      INGEST_ROOT: /app/data\n',
        '      INGEST_ROOT: /app/data\n      INGEST_ROOTS: /app/data\n',
      );
      expect(broken).not.toBe(COMPOSE_TEXT);
      expect(appServices(composeWith(broken)).flatMap(appServiceProblems)).toEqual([
        'ingestor: INGEST_ROOTS is not a setting of apps/ingestor (its config ignores it)',
      ]);
    });

    it('names a value the service config refuses', () => {
      const broken = COMPOSE_TEXT.replace("      PORT: '3004'\n", "      PORT: 'three thousand'\n");
      expect(broken).not.toBe(COMPOSE_TEXT);
      expect(appServices(composeWith(broken)).flatMap(appServiceProblems)).toEqual([
        expect.stringMatching(/^metrics: its config refuses the environment: .*PORT/),
      ]);
    });

    it('names a secret that .env.example leaves out, as the refusing service would', () => {
      const { API_TOKENS: _left, ...withoutTokens } = ENV_EXAMPLE;
      expect(appServices(composeWith(COMPOSE_TEXT, withoutTokens)).flatMap(appServiceProblems)).toEqual([
        expect.stringMatching(/^api: its config refuses the environment: .*API_TOKENS/),
      ]);
    });

    it('names a service bound to loopback, where no other container reaches it', () => {
      const broken = COMPOSE_TEXT.replace("      PORT: '3002'\n", "      PORT: '3002'\n      HOST: 127.0.0.1\n");
      expect(broken).not.toBe(COMPOSE_TEXT);
      expect(appServices(composeWith(broken)).flatMap(appServiceProblems)).toEqual([
        'normalizer: listens on 127.0.0.1 only, where no other container reaches it',
      ]);
    });

    it("names an ingest folder the image's user cannot write, and accepts a volume on a folder it owns", () => {
      const inbox = COMPOSE_TEXT.replace(
        '      HOST: 0.0.0.0\n',
        '      HOST: 0.0.0.0\n      INGEST_INBOX: /app/data/inbox\n',
      );
      expect(inbox).not.toBe(COMPOSE_TEXT);
      const inboxProblem = expect.stringMatching(
        /^ingestor: INGEST_INBOX \(\/app\/data\/inbox\) is not writable by the image's user node/,
      );
      expect(unwritableIngestFolders(composeWith(inbox), DOCKERFILE)).toEqual([inboxProblem]);
      const readOnly = inbox.replace(
        "    ports: ['127.0.0.1:3001:3001']\n",
        "    ports: ['127.0.0.1:3001:3001']\n    read_only: true\n",
      );
      expect(unwritableIngestFolders(composeWith(readOnly), DOCKERFILE)).toEqual([
        expect.stringMatching(/^ingestor: INGEST_ROOT\/uploads \(\/app\/data\/uploads\) is not writable/),
        inboxProblem,
      ]);
      const mounted = readOnly.replace(
        '    read_only: true\n',
        "    read_only: true\n    volumes: ['uploads:/app/data/uploads', 'inbox:/app/data/inbox']\n",
      );
      expect(unwritableIngestFolders(composeWith(mounted), DOCKERFILE)).toEqual([inboxProblem]);
    });

    it('reads the folders a Dockerfile gives its user, and lets a root image write anywhere', () => {
      const image = [
        'FROM node:20 AS build',
        'RUN chown node /build',
        'FROM node:20',
        'WORKDIR /srv',
        'COPY --chown=node:node cache cache',
        'RUN mkdir -p spool other && \\',
        '  chown -R node:node spool && chown root other',
        'USER node',
      ].join('\n');
      expect(imageWritableFolders(image)).toEqual({ user: 'node', folders: ['/tmp', '/srv/cache', '/srv/spool'] });
      expect(imageWritableFolders('FROM node:20\nWORKDIR /srv\n')).toEqual({ user: 'root', folders: ['/'] });
    });

    it('names a mounted file that does not exist', () => {
      const broken = COMPOSE_TEXT.replace('./deploy/prometheus/alerts.yml:', './deploy/prometheus/alert.yml:');
      expect(missingVolumeSources(composeWith(broken))).toEqual([
        'prometheus: ./deploy/prometheus/alert.yml does not exist',
      ]);
    });
  });
});
