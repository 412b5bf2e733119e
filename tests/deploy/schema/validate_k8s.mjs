// Validates Kubernetes objects against the OpenAPI schemas of
// kubernetes-models and @kubernetes-models/prometheus-operator.
//   node validate_k8s.mjs OBJECTS.json     (a JSON array of objects)
// check_static.sh feeds it the manifests of deploy/k8s (the output of
// `kubectl kustomize` when kubectl is there). Exit 1 when an object is
// invalid or of a kind it has no schema for.
import { readFileSync } from 'node:fs';

const core = await import('kubernetes-models/v1');
const apps = await import('kubernetes-models/apps/v1');
const monitoring = await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');
const models = {
  'v1/ConfigMap': core.ConfigMap,
  'v1/Service': core.Service,
  'apps/v1/Deployment': apps.Deployment,
  'monitoring.coreos.com/v1/ServiceMonitor': monitoring.ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': monitoring.PrometheusRule,
};

const objects = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let failed = 0;
for (const obj of objects) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const name = `${obj.kind}/${(obj.metadata || {}).name}`;
  const Model = models[key];
  if (!Model) {
    console.log(`FAIL ${name}: no schema for ${key}`);
    failed++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`ok   ${name} (${obj.apiVersion})`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
