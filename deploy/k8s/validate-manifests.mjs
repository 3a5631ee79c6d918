// Checks Kubernetes documents offline against the kubernetes-models packages: Kubernetes' own
// OpenAPI for the built-in kinds, and the Strimzi, CloudNativePG and Prometheus Operator CRD
// schemas for theirs. Run by k8s-checks.ts with node (those packages are ES modules only, which
// jest's CommonJS runtime cannot load), one process per check so that the two run side by side:
//
//   node validate-manifests.mjs schema   types, formats, enums and required fields: the compiled
//                                        JSON schemas of the packages (Model#validate)
//   node validate-manifests.mjs fields   fields the schema does not know (`readinessprobe`,
//                                        `partition`): TypeScript's excess-property check of each
//                                        document against the packages' type declarations. The
//                                        API server refuses those under strict field validation
//                                        (kubectl's default) or drops them; the compiled schemas
//                                        let them through.
//
//   stdin:  [{ "id": "...", "module": "kubernetes-models/apps/v1/Deployment", "kind": "Deployment", "document": {...} }]
//   stdout: { "<id>": ["<where> <what>", ...] }   (an empty list for a valid document)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const mode = process.argv[2];
const requests = JSON.parse(readFileSync(0, 'utf8'));
const results = Object.fromEntries(requests.map(({ id }) => [id, []]));

if (mode === 'schema') {
  const modules = new Map();
  for (const { id, module, kind, document } of requests) {
    if (!modules.has(module)) modules.set(module, await import(module).catch((error) => ({ importError: error })));
    const loaded = modules.get(module);
    const Model = loaded[kind];
    if (typeof Model !== 'function') {
      results[id].push(`no model ${kind} in ${module}${loaded.importError ? `: ${loaded.importError}` : ''}`);
      continue;
    }
    try {
      new Model(document).validate();
    } catch (error) {
      const details = Array.isArray(error?.errors) ? error.errors : [];
      if (details.length === 0) results[id].push(String(error?.message ?? error));
      for (const detail of details)
        results[id].push(`${detail.instancePath || '/'} ${detail.message ?? detail.keyword}`);
    }
  }
} else if (mode === 'fields') {
  const { default: ts } = await import('typescript');
  const file = join(process.cwd(), '__rendered-manifests__.ts');
  const lines = [];
  const owners = [];
  // The overlays share most documents with the base: each distinct one is checked once.
  const idsByText = new Map();
  for (const { id, module, kind, document } of requests) {
    const key = `${module} ${kind} ${JSON.stringify(document)}`;
    if (idsByText.has(key)) {
      idsByText.get(key).push(id);
      continue;
    }
    const index = owners.length;
    const ids = [id];
    idsByText.set(key, ids);
    owners.push({ ids, firstLine: lines.length });
    lines.push(`import type { I${kind} as T${index} } from '${module}';`);
    lines.push(...`export const document${index}: T${index} = ${JSON.stringify(document, null, 2)};`.split('\n'));
  }
  const text = lines.join('\n');
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es5.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? text : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) {
      throw new Error(`the type declarations of the models did not load: ${message}`);
    }
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
    const owner = owners.findLast((candidate) => candidate.firstLine <= line);
    const unknown = /may only specify known properties, and '"?([^'"]+)"?' does not exist/.exec(message)?.[1];
    const where = (lines[line] ?? '').trim();
    const error = unknown === undefined ? `${message} (at ${where})` : `unknown field ${unknown} (at ${where})`;
    for (const id of owner?.ids ?? []) results[id].push(error);
  }
} else {
  throw new Error(`usage: node validate-manifests.mjs schema|fields < requests.json`);
}

process.stdout.write(JSON.stringify(results));
