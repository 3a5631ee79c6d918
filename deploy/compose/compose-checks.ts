import Ajv from 'ajv';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { loadApiConfig } from '../../apps/api/src/api.config';
import { loadEnricherConfig } from '../../apps/enricher/src/enricher.config';
import { isLoopbackHost, loadIngestorConfig } from '../../apps/ingestor/src/ingestor.config';
import { loadMetricsConfig } from '../../apps/metrics/src/metrics.config';
import { loadNormalizerConfig } from '../../apps/normalizer/src/normalizer.config';

export const REPO_ROOT = join(__dirname, '..', '..');
export const COMPOSE_SPEC_SCHEMA_FILE = join(__dirname, 'compose-spec.json');

/** A compose file as parsed: the parts these checks read, the rest left untyped. */
export interface ComposeDocument {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  ports?: Array<string | { target: number }>;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: Array<string | { type?: string; source?: string; target: string }>;
  [key: string]: unknown;
}

type ConfigLoader = (env: Record<string, string | undefined>) => { http: { host: string; port: number } };

/** Each app's own config loader: the code that decides which variables exist and which values are valid. */
export const CONFIG_LOADERS: Record<string, ConfigLoader> = {
  api: loadApiConfig,
  ingestor: loadIngestorConfig,
  normalizer: loadNormalizerConfig,
  enricher: loadEnricherConfig,
  metrics: loadMetricsConfig,
};

/** Read by Node.js itself, not by the app's config. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS', 'NODE_ENV', 'TZ']);

/** KEY=value lines of an env file; blank lines and # comments skipped. */
export function readEnvFile(file: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) variables[match[1]] = (match[2] ?? '').trim();
  }
  return variables;
}

/** `${NAME}`, `${NAME:-default}`, `${NAME?error}`, … and `$NAME`; `$$` is a literal dollar. */
const INTERPOLATION = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^}\\]|\\.)*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

export interface Interpolation {
  document: unknown;
  /** Every variable the file reads. */
  referenced: Set<string>;
  /** Variables the file requires (`${NAME:?…}`) that are unset or empty. */
  missing: string[];
}

/**
 * Compose's variable interpolation, applied to every string of the parsed
 * file as `docker compose config` does, so the schema sees what an engine sees.
 */
export function interpolate(document: unknown, variables: Record<string, string>): Interpolation {
  const referenced = new Set<string>();
  const missing: string[] = [];
  const substitute = (text: string): string =>
    text.replace(
      INTERPOLATION,
      (
        match,
        braced: string | undefined,
        operator: string | undefined,
        operand: string | undefined,
        bare: string | undefined,
      ) => {
        if (match === '$$') return '$';
        const name = braced ?? bare ?? '';
        referenced.add(name);
        const value = variables[name];
        const unsetOrEmpty = value === undefined || value === '';
        const unset = value === undefined;
        switch (operator) {
          case ':-':
            return unsetOrEmpty ? (operand ?? '') : value;
          case '-':
            return unset ? (operand ?? '') : value;
          case ':?':
          case '?':
            if (operator === ':?' ? unsetOrEmpty : unset) missing.push(name);
            return value ?? '';
          case ':+':
            return unsetOrEmpty ? '' : (operand ?? '');
          case '+':
            return unset ? '' : (operand ?? '');
          default:
            return value ?? '';
        }
      },
    );
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return substitute(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    }
    return node;
  };
  return { document: walk(document), referenced, missing };
}

/** Parses a compose file with YAML merge keys (`<<: *anchor`), as compose does. */
export function parseCompose(text: string): unknown {
  return parse(text, { merge: true });
}

/** The compose specification's verdict on a (interpolated) compose document: one line per error. */
export function composeSpecErrors(document: unknown): string[] {
  const schema = JSON.parse(readFileSync(COMPOSE_SPEC_SCHEMA_FILE, 'utf8')) as object;
  // Not strict: the schema uses annotation keywords (`deprecated`) draft-07 does not define.
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https address; Ajv knows the meta-schema by its http one.
  ajv.addMetaSchema({ ...draft07MetaSchema, $id: 'https://json-schema.org/draft-07/schema' });
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${
        'additionalProperty' in error.params ? `: ${String(error.params['additionalProperty'])}` : ''
      }`,
  );
}

/** A service that runs one of the apps: `node dist/apps/<app>/src/main.js`. */
export interface AppService {
  name: string;
  app: string;
  environment: Record<string, string>;
  containerPorts: number[];
  /** Runs the app's one-shot CLI (`main.js ingest <file>`, the demo data loader), not its HTTP service. */
  oneShot?: boolean;
  /** Files the command names inside the image (`/app/...`). */
  commandPaths?: string[];
}

export function appServices(document: ComposeDocument): AppService[] {
  return Object.entries(document.services).flatMap(([name, service]) => {
    const command = Array.isArray(service.command) ? service.command.join(' ') : (service.command ?? '');
    const app = /dist\/apps\/([\w-]+)\/src\/main\.js/.exec(command)?.[1];
    if (app === undefined) return [];
    return [
      {
        name,
        app,
        environment: environmentOf(service),
        containerPorts: containerPortsOf(service),
        oneShot: /main\.js["']?\s+ingest\b/.test(command),
        commandPaths: command.match(/\/app\/[^\s;"']+/g) ?? [],
      },
    ];
  });
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const [key = '', ...value] = entry.split('=');
        return [key, value.join('=')];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

function containerPortsOf(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) =>
    typeof port === 'string' ? Number(port.split(':').pop()?.split('/')[0]) : port.target,
  );
}

/** The problems of one app service: unknown app, variables its config does not read, values it refuses, ports. */
export function appServiceProblems(service: AppService): string[] {
  const load = CONFIG_LOADERS[service.app];
  if (!load) return [`${service.name}: runs apps/${service.app}, which has no config loader here`];
  if (!existsSync(join(REPO_ROOT, 'apps', service.app, 'src', 'main.ts'))) {
    return [`${service.name}: apps/${service.app}/src/main.ts does not exist`];
  }
  const problems: string[] = [];
  let config: { http: { host: string; port: number } };
  try {
    config = load(service.environment);
  } catch (error) {
    return [
      `${service.name}: its config refuses the environment: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
  for (const variable of Object.keys(service.environment)) {
    if (RUNTIME_VARIABLES.has(variable)) continue;
    if (!configReads(load, service.environment, variable)) {
      problems.push(`${service.name}: ${variable} is not a setting of apps/${service.app} (its config ignores it)`);
    }
  }
  // Other containers, the probes and Prometheus reach a service at its container address, never its loopback.
  if (!service.oneShot && isLoopbackHost(config.http.host)) {
    problems.push(`${service.name}: listens on ${config.http.host} only, where no other container reaches it`);
  }
  if (!service.oneShot && !service.containerPorts.includes(config.http.port)) {
    problems.push(
      `${service.name}: listens on ${config.http.port} but publishes ${service.containerPorts.join(', ') || 'no port'}`,
    );
  }
  return problems;
}

/**
 * Whether the config reads `variable`: given a value no setting accepts or
 * keeps as is, it either refuses the environment or yields another config.
 * Zod drops unknown keys silently, so this is how a typo shows.
 */
function configReads(load: ConfigLoader, environment: Record<string, string>, variable: string): boolean {
  const baseline = load(environment);
  try {
    return !isDeepStrictEqual(load({ ...environment, [variable]: '\u0001probe' }), baseline);
  } catch {
    return true;
  }
}

/** Host paths mounted as volumes (`./deploy/...`) that do not exist in the repository. */
export function missingVolumeSources(document: ComposeDocument): string[] {
  return Object.entries(document.services).flatMap(([name, service]) =>
    (service.volumes ?? [])
      .map((volume) => (typeof volume === 'string' ? volume.split(':')[0] : volume.source))
      .filter((source): source is string => source !== undefined && source.startsWith('.'))
      .filter((source) => !existsSync(join(REPO_ROOT, source)))
      .map((source) => `${name}: ${source} does not exist`),
  );
}

/**
 * Files the app services are pointed at inside the image (`/app/data/...`):
 * the Dockerfile copies the repository's folders to /app, so each must exist
 * in the repository and its top folder must be copied.
 */
export function missingImagePaths(services: readonly AppService[], dockerfile: string): string[] {
  return services.flatMap((service) =>
    [
      ...Object.entries(service.environment),
      ...(service.commandPaths ?? []).map((path): [string, string] => ['its command', path]),
    ].flatMap(([variable, value]) =>
      value
        .split(',')
        .filter((path) => path.startsWith('/app/'))
        .flatMap((path) => {
          const inRepository = posix.relative('/app', path);
          const topFolder = inRepository.split('/')[0] ?? '';
          const copied = new RegExp(`^COPY (--from=\\S+ )?${topFolder} ${topFolder}\\b`, 'm').test(dockerfile);
          if (!existsSync(join(REPO_ROOT, inRepository)))
            return [`${service.name}: ${variable} names ${path}, not in the repository`];
          if (!copied)
            return [`${service.name}: ${variable} names ${path}, but the Dockerfile does not copy ${topFolder}/`];
          return [];
        }),
    ),
  );
}

/** A Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerInstructions(dockerfile: string): Array<{ keyword: string; argument: string }> {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
    });
}

/**
 * The user the image's final stage runs as, and the folders it gives that user (`RUN … chown
 * <user> <folder>`, `COPY --chown=<user>`), besides /tmp. A root image may write anywhere.
 */
export function imageWritableFolders(dockerfile: string): { user: string; folders: string[] } {
  const instructions = dockerInstructions(dockerfile);
  const finalStage = instructions.slice(instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM'));
  let workdir = '/';
  let user = 'root';
  const owned: Array<{ owner: string; folder: string }> = [];
  for (const { keyword, argument } of finalStage) {
    if (keyword === 'WORKDIR') workdir = posix.resolve(workdir, argument);
    if (keyword === 'USER') user = argument.split(':')[0] ?? argument;
    if (keyword === 'COPY') {
      const words = argument.split(/\s+/);
      const owner = /^--chown=([^:\s]+)/.exec(words.find((word) => word.startsWith('--chown=')) ?? '')?.[1];
      const destination = words.at(-1);
      if (owner !== undefined && destination !== undefined) {
        owned.push({ owner, folder: posix.resolve(workdir, destination) });
      }
    }
    if (keyword === 'RUN') {
      for (const command of argument.split(/&&|;/)) {
        const match = /^\s*chown\s+(?:-\S+\s+)*([^:\s]+)(?::\S+)?\s+(.+)$/.exec(command);
        const folders = match?.[2]?.trim().split(/\s+/) ?? [];
        for (const folder of folders) owned.push({ owner: match?.[1] ?? '', folder: posix.resolve(workdir, folder) });
      }
    }
  }
  if (user === 'root' || user === '0') return { user, folders: ['/'] };
  return { user, folders: ['/tmp', ...owned.filter((entry) => entry.owner === user).map((entry) => entry.folder)] };
}

const within = (path: string, folder: string): boolean =>
  folder === '/' || path === folder || path.startsWith(`${folder}/`);

/**
 * The folders an ingestor service writes, INGEST_ROOT/uploads (where the API's uploads land) and
 * INGEST_INBOX, that its user could not write. The image's files are root's and the services run
 * as its USER, so a folder is writable when the Dockerfile gives it to that user: in the image's
 * layer (unless the service is read_only), or through a volume mounted there (a named volume
 * takes the owner of the image's folder; one mounted elsewhere is root's), or on a tmpfs.
 */
export function unwritableIngestFolders(document: ComposeDocument, dockerfile: string): string[] {
  const image = imageWritableFolders(dockerfile);
  return appServices(document)
    .filter((service) => service.app === 'ingestor' && !service.oneShot)
    .flatMap((service) => {
      let config: ReturnType<typeof loadIngestorConfig>;
      try {
        config = loadIngestorConfig(service.environment);
      } catch {
        return []; // reported by appServiceProblems
      }
      const declared = document.services[service.name] ?? {};
      const volumes = (declared.volumes ?? []).flatMap((volume) => {
        if (typeof volume !== 'string') return (volume as { read_only?: boolean }).read_only ? [] : [volume.target];
        // `target` alone is an anonymous volume; `source:target[:mode]` a named or bind one.
        const parts = volume.split(':');
        const [target, mode] = parts.length === 1 ? [parts[0]] : [parts[1], parts[2]];
        return target === undefined || (mode ?? '').split(',').includes('ro') ? [] : [target];
      });
      const writable = [
        ...(declared['read_only'] === true ? [] : image.folders),
        ...volumes.filter((target) => image.folders.some((folder) => within(target, folder))),
        ...[declared['tmpfs'] ?? []].flat().map((entry) => String(entry).split(':')[0] ?? ''),
      ];
      const written = [
        ['INGEST_ROOT/uploads', join(config.ingestRoot, 'uploads')],
        ...(config.inbox === null ? [] : [['INGEST_INBOX', config.inbox.directory]]),
      ];
      return written
        .filter(([, path]) => !writable.some((folder) => within(path ?? '', folder)))
        .map(
          ([setting, path]) =>
            `${service.name}: ${setting} (${path}) is not writable by the image's user ${image.user}: ` +
            'give the folder to that user in the Dockerfile',
        );
    });
}
