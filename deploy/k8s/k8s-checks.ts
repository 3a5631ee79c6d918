import { CLAIM_TOPICS, namespacedTopic, type ClaimTopic } from '@claims/contracts';
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { loadIngestorConfig } from '../../apps/ingestor/src/ingestor.config';
import {
  CONFIG_LOADERS,
  REPO_ROOT,
  appServiceProblems,
  imageWritableFolders,
  missingImagePaths,
} from '../compose/compose-checks';

export const K8S_DIRECTORY = __dirname;

/** What `kubectl kustomize` renders: every document has a kind, a version and a name. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/* ------------------------------------------------------------------------------------------------
 * Rendering
 * --------------------------------------------------------------------------------------------- */

/**
 * kubectl on PATH (its embedded kustomize renders the overlays; no cluster is contacted). The
 * spec fails, rather than skips, without it: a check that silently does not run checks nothing.
 */
export function kubectlPath(path = process.env['PATH'] ?? ''): string {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error(
    'kubectl is not on PATH: the Kubernetes manifest checks render deploy/k8s with `kubectl kustomize` ' +
      '(kubectl 1.27+; on Debian or Ubuntu, install the kubectl package) and cannot run without it',
  );
}

/** A command's standard output; rejects with its standard error when it fails. */
function run(command: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else
        reject(new Error(`${[command, ...args].join(' ')} failed: ${Buffer.concat(stderr).toString('utf8').trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}

/** The documents `kubectl kustomize <directory>` renders (no cluster is contacted). */
export async function renderKustomization(directory: string, kubectl = kubectlPath()): Promise<Manifest[]> {
  const output = await run(kubectl, ['kustomize', directory]);
  return parseAllDocuments(output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((document): document is Manifest => document !== null);
}

export function manifestId(manifest: Manifest): string {
  return `${manifest.kind}/${manifest.metadata.name}`;
}

/* ------------------------------------------------------------------------------------------------
 * Schemas
 * --------------------------------------------------------------------------------------------- */

/** Where the model of each API group lives: the Kubernetes OpenAPI and the three operators' CRDs. */
const MODEL_PACKAGES: Record<string, string> = {
  '': 'kubernetes-models',
  apps: 'kubernetes-models',
  autoscaling: 'kubernetes-models',
  policy: 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

/** The module holding the schema of a kind, e.g. `kubernetes-models/apps/v1/Deployment`; undefined when none is known. */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = MODEL_PACKAGES[group ?? ''];
  if (pkg === undefined || version === undefined) return undefined;
  return group === '' ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
}

export interface Checked {
  id: string;
  manifest: Manifest;
}

export type Verdicts = Map<string, string[]>;

/**
 * Each document's errors under one of validate-manifests.mjs's two checks (see there): `schema`
 * (types, formats, enums, required fields) or `fields` (fields the schema does not know). Both
 * read the kubernetes-models packages: Kubernetes' OpenAPI and the Strimzi, CloudNativePG and
 * Prometheus Operator CRDs. A kind with no known schema is an error, never a pass.
 */
export async function validateManifests(items: readonly Checked[], check: 'schema' | 'fields'): Promise<Verdicts> {
  const verdicts: Verdicts = new Map();
  const requests = items.flatMap(({ id, manifest }) => {
    const module = modelModule(manifest.apiVersion, manifest.kind);
    if (module === undefined) {
      verdicts.set(id, [`no schema known for ${manifest.apiVersion} ${manifest.kind}`]);
      return [];
    }
    return [{ id, module, kind: manifest.kind, document: manifest }];
  });
  const output = await run(
    process.execPath,
    [join(K8S_DIRECTORY, 'validate-manifests.mjs'), check],
    JSON.stringify(requests),
  );
  for (const [id, lines] of Object.entries(JSON.parse(output) as Record<string, string[]>)) verdicts.set(id, lines);
  return verdicts;
}

/* ------------------------------------------------------------------------------------------------
 * Cross-checks against the code
 * --------------------------------------------------------------------------------------------- */

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

interface Probe {
  httpGet?: { path?: string; port: number | string };
}

interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: Array<{ containerPort: number; name?: string }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; fsGroup?: number };
  volumes?: Array<{ name: string; emptyDir?: object; persistentVolumeClaim?: { claimName: string } }>;
}

interface Deployment extends Manifest {
  spec: {
    replicas?: number;
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

function ofKind<T extends Manifest>(manifests: readonly Manifest[], kind: string): T[] {
  return manifests.filter((manifest): manifest is T => manifest.kind === kind);
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const value = labels[expression.key];
    switch (expression.operator) {
      case 'In':
        return value !== undefined && (expression.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(expression.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      default:
        return value === undefined;
    }
  });
  return byLabels && byExpressions;
}

/** The app a Deployment runs (`node dist/apps/<app>/src/main.js`), if any. */
function appOf(deployment: Deployment): { app: string; container: Container } | undefined {
  for (const container of deployment.spec.template.spec.containers) {
    const app = /dist\/apps\/([\w-]+)\/src\/main\.js/.exec((container.command ?? []).join(' '))?.[1];
    if (app !== undefined) return { app, container };
  }
  return undefined;
}

/**
 * Stand-ins for the keys of Secrets that are not in the rendered output (created out of band, or
 * by CloudNativePG), each a value of the shape the real one has, so the apps' config loaders can
 * judge the rest of the environment. The dev overlay's generated Secret is read as it is.
 */
export const SECRET_STAND_INS: Record<string, Record<string, string>> = {
  'claims-pipeline-secrets': {
    API_TOKENS: `admin=${'s'.repeat(32)}`,
    API_TOKEN_SECRET: 's'.repeat(48),
    PATIENT_TOKEN_KEY: 's'.repeat(32),
    INGESTOR_SERVICE_TOKEN: 's'.repeat(32),
  },
  'claims-postgres-app': { uri: 'postgresql://claims:stand-in@claims-postgres-rw.claims:5432/claims' },
};

/** A generated ConfigMap or Secret in the rendered output: `claims-pipeline` is rendered as `claims-pipeline-<hash>`. */
function generated<T extends Manifest>(manifests: readonly T[], name: string): T | undefined {
  return (
    manifests.find((manifest) => manifest.metadata.name === name) ??
    manifests.find((manifest) => new RegExp(`^${name}-[a-z0-9]{10}$`).test(manifest.metadata.name))
  );
}

function secretValue(manifests: readonly Manifest[], name: string, key: string): string | undefined {
  const secret = ofKind<Manifest & { data?: Record<string, string>; stringData?: Record<string, string> }>(
    manifests,
    'Secret',
  ).find((candidate) => candidate.metadata.name === name);
  if (secret !== undefined) {
    const encoded = secret.data?.[key];
    return encoded === undefined ? secret.stringData?.[key] : Buffer.from(encoded, 'base64').toString('utf8');
  }
  const baseName = /^(.*)-[a-z0-9]{10}$/.exec(name)?.[1] ?? name;
  return SECRET_STAND_INS[baseName]?.[key];
}

function configMapData(manifests: readonly Manifest[], name: string): Record<string, string> | undefined {
  const configMap = ofKind<Manifest & { data?: Record<string, string> }>(manifests, 'ConfigMap').find(
    (candidate) => candidate.metadata.name === name,
  );
  return configMap === undefined ? undefined : (configMap.data ?? {});
}

/** A container's environment as the kubelet would set it, with stand-ins for out-of-band secrets. */
function resolvedEnvironment(
  manifests: readonly Manifest[],
  container: Container,
): { environment: Record<string, string>; problems: string[] } {
  const environment: Record<string, string> = {};
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name ?? source.secretRef?.name ?? '';
    const data = configMapData(manifests, name);
    if (data === undefined) problems.push(`envFrom names ConfigMap ${name}, which is not rendered`);
    Object.assign(environment, data ?? {});
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      environment[variable.name] = variable.value;
      continue;
    }
    const secretRef = variable.valueFrom?.secretKeyRef;
    const configMapRef = variable.valueFrom?.configMapKeyRef;
    const value =
      secretRef !== undefined
        ? secretValue(manifests, secretRef.name, secretRef.key)
        : configMapRef !== undefined
          ? configMapData(manifests, configMapRef.name)?.[configMapRef.key]
          : undefined;
    if (value !== undefined) environment[variable.name] = value;
    else if (!(secretRef?.optional ?? configMapRef?.optional ?? false)) {
      problems.push(`${variable.name} comes from nothing the overlay renders or the README says to create`);
    }
  }
  return { environment, problems };
}

/** The routes every service serves itself (libs/observability's ServiceHttpModule), read from its controller. */
export function servedObservabilityPaths(): Set<string> {
  const source = readFileSync(join(REPO_ROOT, 'libs', 'observability', 'src', 'service-http.module.ts'), 'utf8');
  return new Set([...source.matchAll(/@Get\('([^']*)'\)/g)].map((match) => `/${match[1] ?? ''}`));
}

const EXPECTED_PROBE_PATHS = { readinessProbe: '/health/ready', livenessProbe: '/health/live' } as const;

/**
 * Each Deployment against its app: every variable is a setting the app's config reads, with a
 * value it accepts; the container listens on the port the config says; the probes ask the routes
 * the code serves on that port; files named in the image exist; shutdown fits the grace period.
 */
export function deploymentProblems(manifests: readonly Manifest[]): string[] {
  const served = servedObservabilityPaths();
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  return ofKind<Deployment>(manifests, 'Deployment').flatMap((deployment) => {
    const name = deployment.metadata.name;
    const runs = appOf(deployment);
    if (runs === undefined) return [`${name}: runs none of the apps`];
    const { app, container } = runs;
    const { environment, problems: envProblems } = resolvedEnvironment(manifests, container);
    const ports = container.ports ?? [];
    const service = { name, app, environment, containerPorts: ports.map((port) => port.containerPort) };
    const problems = [
      ...envProblems.map((problem) => `${name}: ${problem}`),
      ...appServiceProblems(service),
      ...missingImagePaths([service], dockerfile),
    ];
    const load = CONFIG_LOADERS[app];
    let config: { http: { port: number }; shutdownTimeoutMs?: number } | undefined;
    try {
      config = load?.(environment);
    } catch {
      config = undefined; // reported by appServiceProblems
    }
    const probePort = (probe: Probe | undefined): number | undefined => {
      const port = probe?.httpGet?.port;
      return typeof port === 'number' ? port : ports.find((candidate) => candidate.name === port)?.containerPort;
    };
    for (const [probeName, path] of Object.entries(EXPECTED_PROBE_PATHS)) {
      const probe = container[probeName as keyof typeof EXPECTED_PROBE_PATHS];
      if (probe?.httpGet?.path !== path || !served.has(path)) {
        problems.push(`${name}: ${probeName} should ask ${path}, asks ${probe?.httpGet?.path ?? 'nothing'}`);
      }
      if (config !== undefined && probePort(probe) !== config.http.port) {
        problems.push(
          `${name}: ${probeName} asks port ${String(probePort(probe))}, the app listens on ${config.http.port}`,
        );
      }
    }
    if (container.startupProbe !== undefined) {
      const path = container.startupProbe.httpGet?.path ?? '';
      if (!served.has(path)) problems.push(`${name}: startupProbe asks ${path}, which no service serves`);
      if (config !== undefined && probePort(container.startupProbe) !== config.http.port) {
        problems.push(`${name}: startupProbe asks another port than ${config.http.port}`);
      }
    }
    const shutdownSeconds = (config?.shutdownTimeoutMs ?? 25_000) / 1000;
    const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (grace < shutdownSeconds + preStopSeconds + 5) {
      problems.push(
        `${name}: terminationGracePeriodSeconds ${grace} leaves no margin over the preStop pause (${preStopSeconds} s) ` +
          `and the shutdown bound (${shutdownSeconds} s): the kubelet would SIGKILL a batch in flight`,
      );
    }
    return problems;
  });
}

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** A CPU (cores) or memory (bytes) quantity; NaN when it is neither. */
export function quantity(resource: 'cpu' | 'memory', value: string | number | undefined): number {
  const text = String(value ?? '');
  if (resource === 'cpu') {
    const match = CPU.exec(text);
    return match === null ? NaN : Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
  }
  const match = MEMORY.exec(text);
  return match === null ? NaN : Number(match[1]) * (MEMORY_UNITS[match[2] ?? ''] ?? NaN);
}

/** Requests and limits for CPU and memory on every container, requests within limits; the restricted pod security settings. */
export function containerHygieneProblems(manifests: readonly Manifest[]): string[] {
  return ofKind<Deployment>(manifests, 'Deployment').flatMap((deployment) => {
    const pod = deployment.spec.template.spec;
    const problems: string[] = [];
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${deployment.metadata.name}: may run as root`);
    for (const container of pod.containers) {
      const at = `${deployment.metadata.name}/${container.name}`;
      for (const resource of ['cpu', 'memory'] as const) {
        const request = quantity(resource, container.resources?.requests?.[resource]);
        const limit = quantity(resource, container.resources?.limits?.[resource]);
        if (Number.isNaN(request) || Number.isNaN(limit)) problems.push(`${at}: needs a ${resource} request and limit`);
        else if (request > limit) problems.push(`${at}: ${resource} request exceeds its limit`);
      }
      const security = container.securityContext;
      if (security?.allowPrivilegeEscalation !== false) problems.push(`${at}: allows privilege escalation`);
      if (security?.readOnlyRootFilesystem !== true) problems.push(`${at}: has a writable root filesystem`);
      if (!(security?.capabilities?.drop ?? []).includes('ALL')) problems.push(`${at}: keeps Linux capabilities`);
    }
    return problems;
  });
}

/**
 * The folders the ingestor writes (INGEST_ROOT/uploads, where the API's uploads land, and
 * INGEST_INBOX) are on a writable volume: with a read-only root filesystem nothing else is, and
 * without one only what the Dockerfile gives the image's user. A claimed volume is root's unless
 * the pod's fsGroup hands it to the (non-root) services.
 */
export function ingestFolderProblems(manifests: readonly Manifest[]): string[] {
  const image = imageWritableFolders(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  return ofKind<Deployment>(manifests, 'Deployment').flatMap((deployment) => {
    const runs = appOf(deployment);
    if (runs?.app !== 'ingestor') return [];
    let config: ReturnType<typeof loadIngestorConfig>;
    try {
      config = loadIngestorConfig(resolvedEnvironment(manifests, runs.container).environment);
    } catch {
      return []; // reported by deploymentProblems
    }
    const pod = deployment.spec.template.spec;
    const name = deployment.metadata.name;
    const volumes = new Map((pod.volumes ?? []).map((volume) => [volume.name, volume]));
    const mounts = (runs.container.volumeMounts ?? []).filter((mount) => {
      const volume = volumes.get(mount.name);
      return mount.readOnly !== true && (volume?.emptyDir !== undefined || volume?.persistentVolumeClaim !== undefined);
    });
    const readOnlyRoot = runs.container.securityContext?.readOnlyRootFilesystem === true;
    const inside = (path: string, folder: string): boolean =>
      folder === '/' || path === folder || path.startsWith(`${folder}/`);
    const written = [
      ['INGEST_ROOT/uploads', join(config.ingestRoot, 'uploads')],
      ...(config.inbox === null ? [] : [['INGEST_INBOX', config.inbox.directory]]),
    ] as const;
    const problems: string[] = [];
    for (const [setting, path] of written) {
      const mount = mounts
        .filter((candidate) => inside(path, candidate.mountPath))
        .sort((left, right) => right.mountPath.length - left.mountPath.length)[0];
      if (mount === undefined && (readOnlyRoot || !image.folders.some((folder) => inside(path, folder)))) {
        problems.push(`${name}: ${setting} (${path}) is on no writable volume`);
      } else if (
        mount !== undefined &&
        volumes.get(mount.name)?.persistentVolumeClaim &&
        pod.securityContext?.fsGroup === undefined
      ) {
        problems.push(`${name}: ${setting} (${path}) is on a claimed volume, which stays root's without an fsGroup`);
      }
    }
    return problems;
  });
}

interface KafkaTopic extends Manifest {
  spec: { partitions?: number; replicas?: number; topicName?: string; config?: Record<string, unknown> };
}

interface KafkaNodePool extends Manifest {
  spec: { replicas: number; roles: string[] };
}

interface Kafka extends Manifest {
  spec: { kafka: { config?: Record<string, unknown> } };
}

/** The claims-pipeline ConfigMap's settings (shared by every service). */
function sharedSettings(manifests: readonly Manifest[]): Record<string, string> {
  const configMap = generated(
    ofKind<Manifest & { data?: Record<string, string> }>(manifests, 'ConfigMap'),
    'claims-pipeline',
  );
  return configMap?.data ?? {};
}

/**
 * The KafkaTopics are the topics of libs/contracts (namespaced as the services name them), with
 * the partitions the services would create them with, replicas the brokers can hold, and a
 * min.insync.replicas that lets one broker be down.
 */
export function topicProblems(manifests: readonly Manifest[]): string[] {
  const settings = sharedSettings(manifests);
  const namespace = settings['KAFKA_TOPIC_NAMESPACE'] ?? '';
  const partitions = Number(settings['KAFKA_TOPIC_PARTITIONS'] ?? 3);
  const topics = ofKind<KafkaTopic>(manifests, 'KafkaTopic');
  const declared = topics.map((topic) => topic.spec.topicName ?? topic.metadata.name).sort();
  const expected = Object.values(CLAIM_TOPICS)
    .map((topic: ClaimTopic) => namespacedTopic(topic, namespace))
    .sort();
  const problems: string[] = [];
  const missing = expected.filter((topic) => !declared.includes(topic));
  const unknown = declared.filter((topic) => !expected.includes(topic));
  if (missing.length > 0) problems.push(`topics the code uses with no KafkaTopic: ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`KafkaTopics the code does not use: ${unknown.join(', ')}`);
  const brokers = ofKind<KafkaNodePool>(manifests, 'KafkaNodePool')
    .filter((pool) => pool.spec.roles.includes('broker'))
    .reduce((sum, pool) => sum + pool.spec.replicas, 0);
  const kafkaConfig = ofKind<Kafka>(manifests, 'Kafka')[0]?.spec.kafka.config ?? {};
  const minInSync = Number(kafkaConfig['min.insync.replicas'] ?? 1);
  for (const topic of topics) {
    const name = topic.metadata.name;
    const replicas = topic.spec.replicas ?? 1;
    if (topic.spec.partitions !== partitions) {
      problems.push(`${name}: ${String(topic.spec.partitions)} partitions, KAFKA_TOPIC_PARTITIONS says ${partitions}`);
    }
    if (replicas > brokers) problems.push(`${name}: ${replicas} replicas on ${brokers} brokers`);
    if (replicas > 1 ? minInSync >= replicas : minInSync > replicas) {
      problems.push(
        `${name}: min.insync.replicas ${minInSync} with ${replicas} replicas stops producers when a broker is down`,
      );
    }
  }
  for (const setting of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor']) {
    if (Number(kafkaConfig[setting] ?? 3) > brokers) problems.push(`Kafka: ${setting} exceeds the ${brokers} brokers`);
  }
  return problems;
}

interface HorizontalPodAutoscaler extends Manifest {
  spec: { scaleTargetRef: { kind: string; name: string }; minReplicas?: number; maxReplicas: number };
}

interface PodDisruptionBudget extends Manifest {
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector: LabelSelector };
}

/** The apps that consume topics, whose replicas beyond the partition count would idle. */
export const CONSUMER_APPS = ['normalizer', 'enricher', 'metrics'] as const;

/**
 * Autoscalers target a Deployment that leaves its replica count to them, and no consumer scales
 * past the partitions; every Deployment has a disruption budget that still lets a drain proceed.
 */
export function scalingProblems(manifests: readonly Manifest[]): string[] {
  const deployments = ofKind<Deployment>(manifests, 'Deployment');
  const partitions = Math.min(
    ...ofKind<KafkaTopic>(manifests, 'KafkaTopic').map((topic) => topic.spec.partitions ?? 1),
  );
  const autoscalers = ofKind<HorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler');
  const problems: string[] = [];
  for (const autoscaler of autoscalers) {
    const { scaleTargetRef: target, minReplicas = 1, maxReplicas } = autoscaler.spec;
    const deployment = deployments.find((candidate) => candidate.metadata.name === target.name);
    const name = autoscaler.metadata.name;
    if (target.kind !== 'Deployment' || deployment === undefined) {
      problems.push(`${name}: scales ${target.kind}/${target.name}, which is not rendered`);
      continue;
    }
    if (deployment.spec.replicas !== undefined) {
      problems.push(`${name}: ${target.name} sets replicas, which every apply would reset under the autoscaler`);
    }
    if (minReplicas > maxReplicas) problems.push(`${name}: minReplicas ${minReplicas} > maxReplicas ${maxReplicas}`);
    const app = appOf(deployment)?.app;
    if (CONSUMER_APPS.some((consumer) => consumer === app) && maxReplicas > partitions) {
      problems.push(
        `${name}: maxReplicas ${maxReplicas} exceeds the ${partitions} partitions; the extra consumers would idle`,
      );
    }
  }
  for (const app of CONSUMER_APPS) {
    const deployment = deployments.find((candidate) => appOf(candidate)?.app === app);
    if (deployment !== undefined && (deployment.spec.replicas ?? 1) > partitions) {
      problems.push(`${deployment.metadata.name}: more replicas than the ${partitions} partitions`);
    }
  }
  const budgets = ofKind<PodDisruptionBudget>(manifests, 'PodDisruptionBudget');
  for (const deployment of deployments) {
    const labels = deployment.spec.template.metadata.labels;
    const budget = budgets.find((candidate) => selects(candidate.spec.selector, labels));
    const name = deployment.metadata.name;
    if (budget === undefined) {
      problems.push(`${name}: no PodDisruptionBudget`);
      continue;
    }
    const autoscaler = autoscalers.find((candidate) => candidate.spec.scaleTargetRef.name === name);
    const fewest = autoscaler?.spec.minReplicas ?? deployment.spec.replicas ?? 1;
    const { minAvailable, maxUnavailable } = budget.spec;
    if ((typeof minAvailable === 'number' && minAvailable >= fewest) || maxUnavailable === 0) {
      problems.push(
        `${budget.metadata.name}: allows no eviction of ${name}'s ${fewest} pod(s): node drains would hang`,
      );
    }
  }
  return problems;
}

interface NetworkPolicy extends Manifest {
  spec: {
    podSelector: LabelSelector;
    policyTypes?: string[];
    ingress?: Array<{ from?: Array<{ podSelector?: LabelSelector; namespaceSelector?: LabelSelector }> }>;
  };
}

/**
 * Ingress is denied by default; the ingestor admits the API alone; Postgres admits exactly the
 * services that hold a DATABASE_URL; the PodMonitor scrapes /metrics on a port every service names.
 */
export function networkAndScrapeProblems(manifests: readonly Manifest[]): string[] {
  const policies = ofKind<NetworkPolicy>(manifests, 'NetworkPolicy');
  const deployments = ofKind<Deployment>(manifests, 'Deployment');
  const problems: string[] = [];
  const denyAll = policies.some(
    (policy) =>
      Object.keys(policy.spec.podSelector.matchLabels ?? {}).length === 0 &&
      (policy.spec.podSelector.matchExpressions ?? []).length === 0 &&
      (policy.spec.policyTypes ?? []).includes('Ingress') &&
      (policy.spec.ingress ?? []).length === 0,
  );
  if (!denyAll) problems.push('no default-deny ingress NetworkPolicy');
  const peersOf = (labels: Record<string, string>): string[] =>
    policies
      .filter((policy) => selects(policy.spec.podSelector, labels))
      .flatMap((policy) => policy.spec.ingress ?? [])
      // A rule without `from` admits every source.
      .flatMap((rule) => rule.from ?? [{ podSelector: {} }])
      .filter((peer) => peer.namespaceSelector === undefined)
      .flatMap((peer) =>
        deployments
          .filter((deployment) => selects(peer.podSelector, deployment.spec.template.metadata.labels))
          .map((deployment) => deployment.metadata.name),
      );
  const ingestor = deployments.find((deployment) => appOf(deployment)?.app === 'ingestor');
  const api = deployments.find((deployment) => appOf(deployment)?.app === 'api');
  if (ingestor !== undefined) {
    const peers = [...new Set(peersOf(ingestor.spec.template.metadata.labels))];
    if (peers.join() !== (api?.metadata.name ?? '')) {
      problems.push(`the ingestor admits ${peers.join(', ') || 'no service'}; it should admit the API alone`);
    }
  }
  const holdsDatabase = deployments
    .filter((deployment) =>
      (appOf(deployment)?.container.env ?? []).some((variable) => variable.name === 'DATABASE_URL'),
    )
    .map((deployment) => deployment.metadata.name)
    .sort();
  const postgresPeers = [...new Set(peersOf({ 'cnpg.io/cluster': 'claims-postgres' }))].sort();
  if (postgresPeers.join() !== holdsDatabase.join()) {
    problems.push(
      `Postgres admits [${postgresPeers.join(', ')}], the services with a DATABASE_URL are [${holdsDatabase.join(', ')}]`,
    );
  }
  const served = servedObservabilityPaths();
  const monitors = ofKind<
    Manifest & { spec: { selector: LabelSelector; podMetricsEndpoints: Array<{ port?: string; path?: string }> } }
  >(manifests, 'PodMonitor');
  for (const deployment of deployments) {
    const labels = deployment.spec.template.metadata.labels;
    const monitor = monitors.find((candidate) => selects(candidate.spec.selector, labels));
    if (monitor === undefined) {
      problems.push(`${deployment.metadata.name}: no PodMonitor scrapes it`);
      continue;
    }
    const portNames = deployment.spec.template.spec.containers.flatMap((container) =>
      (container.ports ?? []).map((port) => port.name),
    );
    for (const endpoint of monitor.spec.podMetricsEndpoints) {
      if (!portNames.includes(endpoint.port)) {
        problems.push(
          `${monitor.metadata.name}: port ${String(endpoint.port)} is not a port of ${deployment.metadata.name}`,
        );
      }
      if (!served.has(endpoint.path ?? '/metrics'))
        problems.push(`${monitor.metadata.name}: ${String(endpoint.path)} is not served`);
    }
  }
  return problems;
}

/** The alert rules docker compose's Prometheus evaluates (deploy/prometheus/alerts.yml). */
export const ALERT_RULES_FILE = join(REPO_ROOT, 'deploy', 'prometheus', 'alerts.yml');

interface RuleGroup {
  name: string;
  rules: Array<{ alert?: string; record?: string; [field: string]: unknown }>;
}

/**
 * A cluster's Prometheus evaluates exactly the alert rules of deploy/prometheus/alerts.yml: one
 * PrometheusRule holds its groups, rule for rule (base/alert-rules.yaml, written by
 * alert-rules.mjs). Without it the PodMonitors are scraped and no alert ever fires.
 */
export function alertRuleProblems(manifests: readonly Manifest[], rulesFile = ALERT_RULES_FILE): string[] {
  const expected = (parse(readFileSync(rulesFile, 'utf8')) as { groups: RuleGroup[] }).groups;
  const rules = ofKind<Manifest & { spec?: { groups?: RuleGroup[] } }>(manifests, 'PrometheusRule');
  if (rules.length !== 1) {
    return [`${rules.length} PrometheusRules; one should hold the rules of deploy/prometheus/alerts.yml`];
  }
  const groups = rules[0]?.spec?.groups ?? [];
  const name = rules[0]?.metadata.name ?? '';
  const ruleName = (rule: RuleGroup['rules'][number]): string => String(rule.alert ?? rule.record);
  // Compared as data: a copy made in another realm (structuredClone under jest) has other prototypes.
  const same = (left: unknown, right: unknown): boolean =>
    isDeepStrictEqual(JSON.parse(JSON.stringify(left)), JSON.parse(JSON.stringify(right)));
  const problems: string[] = [];
  const names = (list: RuleGroup[]): string[] => list.flatMap((group) => group.rules.map(ruleName));
  const missing = names(expected).filter((rule) => !names(groups).includes(rule));
  const extra = names(groups).filter((rule) => !names(expected).includes(rule));
  if (missing.length > 0) problems.push(`${name}: lacks ${missing.join(', ')} of alerts.yml`);
  if (extra.length > 0) problems.push(`${name}: holds ${extra.join(', ')}, which alerts.yml does not`);
  for (const group of expected) {
    const copy = groups.find((candidate) => candidate.name === group.name);
    for (const rule of group.rules) {
      const copied = copy?.rules.find((candidate) => ruleName(candidate) === ruleName(rule));
      if (copied !== undefined && !same(copied, rule)) {
        problems.push(`${name}: ${ruleName(rule)} differs from alerts.yml (run \`node deploy/k8s/alert-rules.mjs\`)`);
      }
    }
  }
  if (problems.length === 0 && !same(groups, expected)) {
    problems.push(`${name}: its groups differ from alerts.yml (run \`node deploy/k8s/alert-rules.mjs\`)`);
  }
  return problems;
}

/** Every Deployment has a Service selecting its pods, whose target port is a port the pods name. */
export function serviceProblems(manifests: readonly Manifest[]): string[] {
  const services = ofKind<
    Manifest & { spec: { selector?: Record<string, string>; ports: Array<{ targetPort?: number | string }> } }
  >(manifests, 'Service');
  return ofKind<Deployment>(manifests, 'Deployment').flatMap((deployment) => {
    const labels = deployment.spec.template.metadata.labels;
    const service = services.find((candidate) => selects({ matchLabels: candidate.spec.selector ?? {} }, labels));
    if (service === undefined) return [`${deployment.metadata.name}: no Service selects its pods`];
    const ports = deployment.spec.template.spec.containers.flatMap((container) => container.ports ?? []);
    return service.spec.ports
      .filter(
        (port) =>
          !ports.some((candidate) => candidate.name === port.targetPort || candidate.containerPort === port.targetPort),
      )
      .map((port) => `${service.metadata.name}: targetPort ${String(port.targetPort)} is not a port of the pods`);
  });
}

/**
 * The API reaches the ingestor at its Service (INGESTOR_URL) and sends the credential the
 * ingestor expects: both read INGESTOR_SERVICE_TOKEN from the same Secret key.
 */
export function ingestorLinkProblems(manifests: readonly Manifest[]): string[] {
  const deployments = ofKind<Deployment>(manifests, 'Deployment');
  const containerOf = (app: string): Container | undefined =>
    deployments.map(appOf).find((runs) => runs?.app === app)?.container;
  const api = containerOf('api');
  const ingestor = containerOf('ingestor');
  if (api === undefined || ingestor === undefined) return ['the API or the ingestor is not rendered'];
  const variable = (container: Container, name: string): EnvVar | undefined =>
    (container.env ?? []).find((candidate) => candidate.name === name);
  const problems: string[] = [];
  const url = variable(api, 'INGESTOR_URL')?.value;
  const service = ofKind<Manifest & { spec: { selector?: Record<string, string>; ports: Array<{ port: number }> } }>(
    manifests,
    'Service',
  ).find((candidate) => candidate.metadata.name === 'claims-ingestor');
  const target = url === undefined ? undefined : new URL(url);
  if (
    service === undefined ||
    target === undefined ||
    target.hostname.split('.')[0] !== service.metadata.name ||
    !service.spec.ports.some((port) => String(port.port) === target.port)
  ) {
    problems.push(`the API's INGESTOR_URL (${String(url)}) is not the ingestor's Service`);
  }
  const apiToken = JSON.stringify(variable(api, 'INGESTOR_SERVICE_TOKEN')?.valueFrom?.secretKeyRef ?? null);
  const ingestorToken = JSON.stringify(variable(ingestor, 'INGESTOR_SERVICE_TOKEN')?.valueFrom?.secretKeyRef ?? null);
  if (apiToken === 'null' || apiToken !== ingestorToken) {
    problems.push(
      `the API sends INGESTOR_SERVICE_TOKEN from ${apiToken}, the ingestor expects it from ${ingestorToken}`,
    );
  }
  return problems;
}
