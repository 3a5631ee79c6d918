import { SERVICE_NODE_OPTIONS } from '@claims/harness';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  K8S_DIRECTORY,
  alertRuleProblems,
  containerHygieneProblems,
  deploymentProblems,
  ingestFolderProblems,
  ingestorLinkProblems,
  kubectlPath,
  manifestId,
  networkAndScrapeProblems,
  renderKustomization,
  scalingProblems,
  serviceProblems,
  topicProblems,
  validateManifests,
  type Checked,
  type Manifest,
  type Verdicts,
} from './k8s-checks';

const TARGETS = ['base', 'overlays/dev', 'overlays/prod'] as const;
type Target = (typeof TARGETS)[number];

type Path = Array<string | number>;

/** The object at `path` inside a document, to read or break in place. */
function at(value: unknown, ...path: Path): Record<string, unknown> {
  const found = path.reduce<unknown>(
    (node, key) => (node as Record<string | number, unknown> | undefined)?.[key],
    value,
  );
  if (found === null || typeof found !== 'object') throw new Error(`nothing at ${path.join('.')}`);
  return found as Record<string, unknown>;
}

/** The list at `path` inside a document. */
function listAt(value: unknown, ...path: Path): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) throw new Error(`no list at ${path.join('.')}`);
  return found;
}

function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const manifest = manifests.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (manifest === undefined) throw new Error(`${kind}/${name} is not rendered`);
  return manifest;
}

/** Documents with one thing broken each, checked in the same runs as the real ones. */
function brokenDocuments(base: readonly Manifest[]): Record<string, Manifest> {
  const copy = (kind: string, name: string): Manifest => structuredClone(find(base, kind, name));
  const replicasAsString = copy('Deployment', 'claims-ingestor');
  at(replicasAsString, 'spec')['replicas'] = '1';
  const topicTypo = copy('KafkaTopic', 'claims.raw.v1');
  at(topicTypo, 'spec')['partition'] = at(topicTypo, 'spec')['partitions'];
  delete at(topicTypo, 'spec')['partitions'];
  const topicWrongType = copy('KafkaTopic', 'claims.raw.v1');
  at(topicWrongType, 'spec')['partitions'] = 'six';
  const probeTypo = copy('Deployment', 'claims-api');
  const container = at(probeTypo, 'spec', 'template', 'spec', 'containers', 0);
  container['readinessprobe'] = container['readinessProbe'];
  delete container['readinessProbe'];
  const nameless = copy('Deployment', 'claims-api');
  delete at(nameless, 'spec', 'template', 'spec', 'containers', 0)['name'];
  const clusterWrongType = copy('Cluster', 'claims-postgres');
  at(clusterWrongType, 'spec')['instances'] = 'two';
  const monitorTypo = copy('PodMonitor', 'claims-services');
  at(monitorTypo, 'spec')['podMetricsEndpoint'] = at(monitorTypo, 'spec')['podMetricsEndpoints'];
  delete at(monitorTypo, 'spec')['podMetricsEndpoints'];
  const poolWrongRole = copy('KafkaNodePool', 'dual-role');
  at(poolWrongRole, 'spec')['roles'] = ['controller', 'zookeeper'];
  const topicWrongVersion = copy('KafkaTopic', 'claims.raw.v1');
  topicWrongVersion.apiVersion = 'kafka.strimzi.io/v1beta3';
  const unknownKind: Manifest = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'widget' } };
  return {
    'Deployment with replicas as a string': replicasAsString,
    'KafkaTopic of a version Strimzi does not serve': topicWrongVersion,
    'resource of a kind with no known schema': unknownKind,
    'KafkaTopic with a string for partitions': topicWrongType,
    'Deployment with a nameless container': nameless,
    'CNPG Cluster with a string for instances': clusterWrongType,
    'KafkaNodePool with a role Strimzi does not know': poolWrongRole,
    'KafkaTopic with `partition` for `partitions`': topicTypo,
    'Deployment with `readinessprobe` for `readinessProbe`': probeTypo,
    'PodMonitor with `podMetricsEndpoint` for `podMetricsEndpoints`': monitorTypo,
  };
}

const rendered = new Map<Target, Manifest[]>();
let schemaVerdicts: Verdicts = new Map();
let fieldVerdicts: Verdicts = new Map();

function manifestsOf(target: Target): Manifest[] {
  const manifests = rendered.get(target);
  if (manifests === undefined) throw new Error(`${target} was not rendered`);
  return manifests;
}

beforeAll(async () => {
  const kubectl = kubectlPath();
  const renders = await Promise.all(TARGETS.map((target) => renderKustomization(join(K8S_DIRECTORY, target), kubectl)));
  TARGETS.forEach((target, index) => rendered.set(target, renders[index] ?? []));
  const checked: Checked[] = [
    ...TARGETS.flatMap((target) =>
      manifestsOf(target).map((manifest) => ({ id: `${target}: ${manifestId(manifest)}`, manifest })),
    ),
    ...Object.entries(brokenDocuments(manifestsOf('base'))).map(([id, manifest]) => ({ id, manifest })),
  ];
  [schemaVerdicts, fieldVerdicts] = await Promise.all([
    validateManifests(checked, 'schema'),
    validateManifests(checked, 'fields'),
  ]);
}, 120_000);

describe.each(TARGETS)('deploy/k8s/%s rendered by kubectl kustomize', (target) => {
  it('passes the Kubernetes and operator CRD schemas, document by document, with no unknown field', () => {
    const failures = manifestsOf(target).flatMap((manifest) => {
      const id = `${target}: ${manifestId(manifest)}`;
      return [...(schemaVerdicts.get(id) ?? ['not checked']), ...(fieldVerdicts.get(id) ?? ['not checked'])].map(
        (error) => `${manifestId(manifest)}: ${error}`,
      );
    });
    expect(failures).toEqual([]);
  });

  it('runs the five services, each with its Service, PodMonitor, disruption budget and network rules', () => {
    const manifests = manifestsOf(target);
    const deployments = manifests.filter((manifest) => manifest.kind === 'Deployment');
    expect(deployments.map((manifest) => manifest.metadata.name).sort()).toEqual(
      ['claims-api', 'claims-enricher', 'claims-ingestor', 'claims-metrics', 'claims-normalizer'].sort(),
    );
    expect(serviceProblems(manifests)).toEqual([]);
    expect(networkAndScrapeProblems(manifests)).toEqual([]);
    expect(ingestorLinkProblems(manifests)).toEqual([]);
  });

  it("sets only variables each app's config reads, with values it accepts, and probes the routes and port the code serves", () => {
    expect(deploymentProblems(manifestsOf(target))).toEqual([]);
  });

  it('gives every container CPU and memory requests and limits, and the restricted security settings', () => {
    expect(containerHygieneProblems(manifestsOf(target))).toEqual([]);
  });

  it('puts the folders the ingestor writes, under its read-only root, on a volume its user can write', () => {
    expect(ingestFolderProblems(manifestsOf(target))).toEqual([]);
  });

  it('declares exactly the topics of libs/contracts, with the partitions the services expect and replicas the brokers hold', () => {
    expect(topicProblems(manifestsOf(target))).toEqual([]);
  });

  it('scales no consumer past its partitions and lets node drains evict every pod', () => {
    expect(scalingProblems(manifestsOf(target))).toEqual([]);
  });

  it('runs Kafka and Postgres as operator resources: Strimzi Kafka in KRaft with a node pool, a CloudNativePG Cluster', () => {
    const manifests = manifestsOf(target);
    const kafka = find(manifests, 'Kafka', 'claims-kafka');
    expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1beta2');
    expect(at(kafka, 'spec')['zookeeper']).toBeUndefined();
    const pool = find(manifests, 'KafkaNodePool', 'dual-role');
    expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe('claims-kafka');
    expect(listAt(pool, 'spec', 'roles').sort()).toEqual(['broker', 'controller']);
    expect(find(manifests, 'Cluster', 'claims-postgres').apiVersion).toBe('postgresql.cnpg.io/v1');
  });

  it('evaluates the alert rules of deploy/prometheus/alerts.yml, rule for rule, in a PrometheusRule', () => {
    expect(alertRuleProblems(manifestsOf(target))).toEqual([]);
  });

  it('puts everything in the claims namespace', () => {
    const elsewhere = manifestsOf(target)
      .filter((manifest) => manifest.kind !== 'Namespace' && manifest.metadata.namespace !== 'claims')
      .map(manifestId);
    expect(elsewhere).toEqual([]);
  });
});

describe('the overlays', () => {
  const SCALED = ['claims-api', 'claims-normalizer', 'claims-enricher', 'claims-metrics'];

  /** The fewest pods a Deployment runs: its autoscaler's minimum, else its replicas (1 when unset). */
  const fewestPods = (manifests: readonly Manifest[], name: string): number => {
    const autoscaler = manifests.find(
      (manifest) => manifest.kind === 'HorizontalPodAutoscaler' && manifest.metadata.name === name,
    );
    const replicas = autoscaler === undefined ? at(find(manifests, 'Deployment', name), 'spec')['replicas'] : undefined;
    return Number(autoscaler === undefined ? (replicas ?? 1) : at(autoscaler, 'spec')['minReplicas']);
  };
  const memoryRequest = (manifests: readonly Manifest[], name: string): unknown =>
    at(find(manifests, 'Deployment', name), 'spec', 'template', 'spec', 'containers', 0, 'resources', 'requests')[
      'memory'
    ];

  it('commit no secret value: base and prod render no Secret, and every value of the dev Secret says dev-only', () => {
    expect(manifestsOf('base').filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
    expect(manifestsOf('overlays/prod').filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
    const devSecrets = manifestsOf('overlays/dev').filter((manifest) => manifest.kind === 'Secret');
    expect(devSecrets.map((secret) => secret.metadata.name)).toEqual([
      expect.stringMatching(/^claims-pipeline-secrets-/),
    ]);
    const values = Object.values(at(devSecrets[0], 'data')).map((value) =>
      Buffer.from(String(value), 'base64').toString(),
    );
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((value) => !value.includes('dev-only'))).toEqual([]);
  });

  it('run one replica of everything in dev, on one Kafka node and one Postgres instance', () => {
    const dev = manifestsOf('overlays/dev');
    expect([...SCALED, 'claims-ingestor'].map((name) => fewestPods(dev, name))).toEqual([1, 1, 1, 1, 1]);
    expect(at(find(dev, 'KafkaNodePool', 'dual-role'), 'spec')['replicas']).toBe(1);
    expect(at(find(dev, 'Cluster', 'claims-postgres'), 'spec')['instances']).toBe(1);
  });

  it('run more replicas with larger requests in prod than in dev, with minAvailable budgets', () => {
    const dev = manifestsOf('overlays/dev');
    const prod = manifestsOf('overlays/prod');
    for (const name of SCALED) {
      expect(fewestPods(prod, name)).toBeGreaterThan(fewestPods(dev, name));
      expect(at(find(prod, 'PodDisruptionBudget', name), 'spec')['minAvailable']).toBe(2);
      // The enricher holds the provider directory: 1.1 GiB at its peak with 1 M providers in the bench.
      const prodRequest = name === 'claims-enricher' ? '1536Mi' : '512Mi';
      expect([memoryRequest(dev, name), memoryRequest(prod, name)]).toEqual(['128Mi', prodRequest]);
    }
    expect(at(find(prod, 'KafkaNodePool', 'dual-role'), 'spec')['replicas']).toBe(3);
    expect(at(find(prod, 'Cluster', 'claims-postgres'), 'spec')['instances']).toBe(3);
  });

  it("fetch twice the transform stages' batches for the fold in prod, and give the consumers the harness's young generation", () => {
    const prod = manifestsOf('overlays/prod');
    const shared = prod.find(
      (manifest) => manifest.kind === 'ConfigMap' && manifest.metadata.name.startsWith('claims-pipeline'),
    );
    const variableOf = (name: string, variable: string): string | undefined =>
      listAt(find(prod, 'Deployment', name), 'spec', 'template', 'spec', 'containers', 0, 'env')
        .map((entry) => entry as { name: string; value?: string })
        .find((entry) => entry.name === variable)?.value;
    const fetchOf = (name: string): string | undefined => variableOf(name, 'KAFKA_FETCH_MAX_BYTES_PER_PARTITION');
    expect(at(shared, 'data')['KAFKA_FETCH_MAX_BYTES_PER_PARTITION']).toBe(String(8 * 1024 * 1024));
    expect(fetchOf('claims-metrics')).toBe(String(16 * 1024 * 1024));
    expect(['claims-normalizer', 'claims-enricher'].map(fetchOf)).toEqual([undefined, undefined]);
    for (const service of ['normalizer', 'enricher', 'metrics', 'ingestor'] as const) {
      expect(variableOf(`claims-${service}`, 'NODE_OPTIONS')).toBe(SERVICE_NODE_OPTIONS[service].join(' '));
    }
  });

  it('pin the image to a release in prod', () => {
    const images = manifestsOf('overlays/prod')
      .filter((manifest) => manifest.kind === 'Deployment')
      .flatMap((manifest) =>
        listAt(manifest, 'spec', 'template', 'spec', 'containers').map((container) => at(container)['image']),
      );
    expect(images).toHaveLength(5);
    for (const image of images) expect(image).toMatch(/:\d+\.\d+\.\d+$|@sha256:[0-9a-f]{64}$/);
  });
});

describe('the checks catch broken manifests', () => {
  it.each([
    ['Deployment with replicas as a string', '/spec/replicas must be integer'],
    ['KafkaTopic with a string for partitions', '/spec/partitions must be integer'],
    ['Deployment with a nameless container', '/spec/template/spec/containers/0 must have required property name'],
    ['CNPG Cluster with a string for instances', '/spec/instances must be integer'],
    ['KafkaNodePool with a role Strimzi does not know', '/spec/roles/1 must be equal to one of the allowed values'],
  ])('refuses a %s by the schema', (id, error) => {
    expect(schemaVerdicts.get(id)).toContain(error);
  });

  it('refuses a kind or a version it has no schema for, rather than passing it', () => {
    expect(schemaVerdicts.get('KafkaTopic of a version Strimzi does not serve')).toEqual([
      expect.stringMatching(/^no model KafkaTopic in .*kafka\.strimzi\.io\/v1beta3\/KafkaTopic/),
    ]);
    expect(fieldVerdicts.get('KafkaTopic of a version Strimzi does not serve')).toEqual([
      expect.stringContaining('Cannot find module'),
    ]);
    for (const verdicts of [schemaVerdicts, fieldVerdicts]) {
      expect(verdicts.get('resource of a kind with no known schema')).toEqual([
        'no schema known for example.com/v1 Widget',
      ]);
    }
  });

  it.each([
    ['KafkaTopic with `partition` for `partitions`', 'unknown field partition (at "partition": 6)'],
    ['Deployment with `readinessprobe` for `readinessProbe`', 'unknown field readinessprobe (at "readinessprobe": {)'],
    [
      'PodMonitor with `podMetricsEndpoint` for `podMetricsEndpoints`',
      'unknown field podMetricsEndpoint (at "podMetricsEndpoint": [)',
    ],
  ])('refuses a %s as an unknown field', (id, error) => {
    expect(fieldVerdicts.get(id)).toEqual([error]);
  });

  it('refuses a variable the app does not read and a value its config refuses', () => {
    const manifests = structuredClone(manifestsOf('overlays/prod'));
    const env = listAt(
      find(manifests, 'Deployment', 'claims-normalizer'),
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'env',
    );
    env.push({ name: 'KAFKA_GROUP', value: 'claims-normalizer' }, { name: 'CLAIM_SERVICE_DATE_LATEST', value: 'soon' });
    expect(deploymentProblems(manifests)).toEqual([
      expect.stringMatching(/^claims-normalizer: its config refuses the environment: .*CLAIM_SERVICE_DATE_LATEST/),
    ]);
    env.pop();
    expect(deploymentProblems(manifests)).toEqual([
      'claims-normalizer: KAFKA_GROUP is not a setting of apps/normalizer (its config ignores it)',
    ]);
  });

  it('has the ingestor refuse to start on an empty INGESTOR_SERVICE_TOKEN, rather than listen on loopback only', () => {
    const manifests = structuredClone(manifestsOf('overlays/dev'));
    const secret = manifests.find((manifest) => manifest.kind === 'Secret');
    at(secret, 'data')['INGESTOR_SERVICE_TOKEN'] = '';
    expect(deploymentProblems(manifests)).toEqual([
      expect.stringMatching(/^claims-ingestor: its config refuses the environment: .*INGESTOR_SERVICE_TOKEN/),
    ]);
  });

  it('refuses a probe on a path or port the code does not serve, and a grace period shorter than the shutdown', () => {
    const manifests = structuredClone(manifestsOf('overlays/dev'));
    const pod = at(find(manifests, 'Deployment', 'claims-metrics'), 'spec', 'template', 'spec');
    at(pod, 'containers', 0, 'readinessProbe', 'httpGet')['path'] = '/ready';
    at(pod, 'containers', 0, 'livenessProbe', 'httpGet')['port'] = 3000;
    pod['terminationGracePeriodSeconds'] = 30;
    expect(deploymentProblems(manifests)).toEqual([
      'claims-metrics: readinessProbe should ask /health/ready, asks /ready',
      'claims-metrics: livenessProbe asks port 3000, the app listens on 3004',
      expect.stringContaining('claims-metrics: terminationGracePeriodSeconds 30 leaves no margin'),
    ]);
  });

  it('refuses a KafkaTopic the code does not use, a missing one, and partitions that disagree with the services', () => {
    const manifests = structuredClone(manifestsOf('overlays/dev'));
    find(manifests, 'KafkaTopic', 'claims.dlq.v1').metadata.name = 'claims.deadletters.v1';
    at(find(manifests, 'KafkaTopic', 'claims.raw.v1'), 'spec')['partitions'] = 4;
    expect(topicProblems(manifests)).toEqual([
      'topics the code uses with no KafkaTopic: claims.dlq.v1',
      'KafkaTopics the code does not use: claims.deadletters.v1',
      'claims.raw.v1: 4 partitions, KAFKA_TOPIC_PARTITIONS says 3',
    ]);
  });

  it('refuses a consumer autoscaled past its partitions', () => {
    const manifests = structuredClone(manifestsOf('overlays/prod'));
    at(find(manifests, 'HorizontalPodAutoscaler', 'claims-enricher'), 'spec')['maxReplicas'] = 13;
    expect(scalingProblems(manifests)).toEqual([
      'claims-enricher: maxReplicas 13 exceeds the 12 partitions; the extra consumers would idle',
    ]);
  });

  it('refuses a disruption budget that would block node drains', () => {
    const manifests = structuredClone(manifestsOf('overlays/prod'));
    at(find(manifests, 'PodDisruptionBudget', 'claims-api'), 'spec')['minAvailable'] = 3;
    expect(scalingProblems(manifests)).toEqual([
      "claims-api: allows no eviction of claims-api's 3 pod(s): node drains would hang",
    ]);
  });

  it('refuses an ingestor open to more than the API, and Postgres open to a service without a database', () => {
    const manifests = structuredClone(manifestsOf('base'));
    listAt(find(manifests, 'NetworkPolicy', 'claims-ingestor-ingress'), 'spec', 'ingress', 0, 'from').push({
      podSelector: {},
    });
    const postgresPeer = at(find(manifests, 'NetworkPolicy', 'claims-postgres'), 'spec', 'ingress', 0, 'from', 0);
    listAt(postgresPeer, 'podSelector', 'matchExpressions', 0, 'values').push('claims-normalizer');
    expect(networkAndScrapeProblems(manifests)).toEqual([
      expect.stringMatching(/^the ingestor admits .*claims-normalizer.*; it should admit the API alone$/),
      'Postgres admits [claims-api, claims-enricher, claims-metrics, claims-normalizer], ' +
        'the services with a DATABASE_URL are [claims-api, claims-enricher, claims-metrics]',
    ]);
  });

  it('refuses an API that calls the ingestor elsewhere or without its credential', () => {
    const manifests = structuredClone(manifestsOf('overlays/dev'));
    const env = listAt(find(manifests, 'Deployment', 'claims-api'), 'spec', 'template', 'spec', 'containers', 0, 'env');
    at(env.find((variable) => at(variable)['name'] === 'INGESTOR_URL'))['value'] = 'http://claims-ingestor:3000';
    env.splice(
      env.findIndex((variable) => at(variable)['name'] === 'INGESTOR_SERVICE_TOKEN'),
      1,
    );
    expect(ingestorLinkProblems(manifests)).toEqual([
      "the API's INGESTOR_URL (http://claims-ingestor:3000) is not the ingestor's Service",
      expect.stringMatching(/^the API sends INGESTOR_SERVICE_TOKEN from null, the ingestor expects it from/),
    ]);
  });

  it('refuses a cluster with no alert rules, and alert rules that drifted from alerts.yml', () => {
    const manifests = structuredClone(manifestsOf('overlays/prod'));
    const withoutRules = manifests.filter((manifest) => manifest.kind !== 'PrometheusRule');
    expect(alertRuleProblems(withoutRules)).toEqual([
      '0 PrometheusRules; one should hold the rules of deploy/prometheus/alerts.yml',
    ]);
    const groups = listAt(find(manifests, 'PrometheusRule', 'claims-pipeline-alerts'), 'spec', 'groups');
    const rules = listAt(groups[0], 'rules');
    at(rules[0])['for'] = '1h';
    rules.splice(1, 1);
    expect(alertRuleProblems(manifests)).toEqual([
      'claims-pipeline-alerts: lacks ClaimsDeadLetterRateHigh of alerts.yml',
      'claims-pipeline-alerts: ClaimsConsumerLagGrowing differs from alerts.yml (run `node deploy/k8s/alert-rules.mjs`)',
    ]);
  });

  it('refuses a container without limits or with a writable root filesystem', () => {
    const manifests = structuredClone(manifestsOf('base'));
    const container = at(find(manifests, 'Deployment', 'claims-api'), 'spec', 'template', 'spec', 'containers', 0);
    delete at(container, 'resources')['limits'];
    at(container, 'securityContext')['readOnlyRootFilesystem'] = false;
    expect(containerHygieneProblems(manifests)).toEqual([
      'claims-api/api: needs a cpu request and limit',
      'claims-api/api: needs a memory request and limit',
      'claims-api/api: has a writable root filesystem',
    ]);
  });

  it('refuses ingest folders on no writable volume, or on a claimed volume the non-root user cannot write', () => {
    const manifests = structuredClone(manifestsOf('base'));
    const pod = at(find(manifests, 'Deployment', 'claims-ingestor'), 'spec', 'template', 'spec');
    delete at(pod, 'securityContext')['fsGroup'];
    expect(ingestFolderProblems(manifests)).toEqual([
      "claims-ingestor: INGEST_ROOT/uploads (/var/lib/claims/ingest/uploads) is on a claimed volume, which stays root's without an fsGroup",
      "claims-ingestor: INGEST_INBOX (/var/lib/claims/ingest/inbox) is on a claimed volume, which stays root's without an fsGroup",
    ]);
    const mounts = listAt(pod, 'containers', 0, 'volumeMounts');
    mounts.splice(
      mounts.findIndex((mount) => at(mount)['name'] === 'ingest'),
      1,
    );
    expect(ingestFolderProblems(manifests)).toEqual([
      'claims-ingestor: INGEST_ROOT/uploads (/var/lib/claims/ingest/uploads) is on no writable volume',
      'claims-ingestor: INGEST_INBOX (/var/lib/claims/ingest/inbox) is on no writable volume',
    ]);
  });

  it('fails to render a kustomization that lists a file that is not there, naming it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'claims-k8s-'));
    try {
      cpSync(join(K8S_DIRECTORY, 'base'), directory, { recursive: true });
      const kustomization = join(directory, 'kustomization.yaml');
      writeFileSync(kustomization, readFileSync(kustomization, 'utf8').replace('- monitoring.yaml', '- monitors.yaml'));
      await expect(renderKustomization(directory)).rejects.toThrow(/monitors\.yaml/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 30_000);

  it('says what is missing when kubectl is not installed, instead of skipping', () => {
    expect(() => kubectlPath('/nonexistent')).toThrow(/kubectl is not on PATH/);
  });
});
