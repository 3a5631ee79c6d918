// Writes base/alert-rules.yaml: the alert rules of deploy/prometheus/alerts.yml as a Prometheus
// Operator PrometheusRule, so that a cluster's Prometheus evaluates the same rules compose's does.
// kustomize reads no file outside its directory, hence a copy; k8s-manifests.spec.ts fails when the
// copy and alerts.yml differ. After editing alerts.yml:
//
//   node deploy/k8s/alert-rules.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, parseDocument } from 'yaml';

const K8S_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const RULES_FILE = join(K8S_DIRECTORY, '..', 'prometheus', 'alerts.yml');
const OUTPUT_FILE = join(K8S_DIRECTORY, 'base', 'alert-rules.yaml');

const rules = parseDocument(readFileSync(RULES_FILE, 'utf8'));
if (rules.errors.length > 0) throw rules.errors[0];
const rule = new Document({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  metadata: { name: 'claims-pipeline-alerts' },
  spec: { groups: null },
});
// The groups node itself, so the comments that say why each rule reads as it does come along.
rule.setIn(['spec', 'groups'], rules.get('groups', true));
rule.commentBefore = [
  ' GENERATED from deploy/prometheus/alerts.yml by deploy/k8s/alert-rules.mjs: edit alerts.yml, then',
  ' run `node deploy/k8s/alert-rules.mjs`. k8s-manifests.spec.ts fails when the two differ.',
  '',
  ' The alert rules for a Prometheus run by the Prometheus Operator: it must select this',
  ' PrometheusRule (its ruleSelector and ruleNamespaceSelector), as it selects the PodMonitors of',
  ' monitoring.yaml. Every rule aggregates away the labels the PodMonitor adds (pod, namespace,',
  " job), so the expressions read the same here as in docker-compose.yml's Prometheus.",
].join('\n');
writeFileSync(OUTPUT_FILE, rule.toString({ lineWidth: 100 }));
