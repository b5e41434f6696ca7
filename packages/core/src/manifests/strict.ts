import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { findInvalidLabel, isValidLabelKey } from '../model/labels.js';
import { isDns1123Label, nameProblem } from '../model/names.js';
import { isProtocol } from '../model/ports.js';
import { ZONE_ANNOTATION, ZONE_ANNOTATION_VALUES } from '../model/zone.js';
import { ACCOUNT_DATA_ANNOTATION, DATA_FLOWS_ANNOTATION, parseAccountDataRoles, parseDataFlowNames, sameAccountDataValue } from '../model/account-data.js';
import { isPortName } from '../policy/ports.js';
import type { KubeObject } from './decode.js';
import { WORKLOAD_KINDS } from '../model/workloads.js';
import { CLUSTER_SCOPED_KINDS, readsKind } from './kind-groups.js';
import type { FieldPath } from './parse.js';
import { KIND_SCHEMAS, METADATA_SCHEMA, type Schema } from './schema.js';
import { GATEWAY_SCHEMAS } from './gateway-schema.js';

import { conforms, getIn, walkDecoding } from './strict-decoding.js';
import { asRecord } from '../policy/compile.js';
import { Problems } from './strict-problems.js';

export { conforms, formatPath } from './strict-decoding.js';

export interface StrictOptions {
  /**
   * Unknown fields become warnings and the object is kept, for manifests written for a newer API
   * version than the one the schema knows. Values of the wrong type and invalid values stay errors.
   */
  readonly lenient?: boolean;
  /** The text of an input file, to point an unknown field's diagnostic at its key rather than its value. */
  readonly textOf?: (file: string) => string | undefined;
  /** The schema to check an object against, for objects of APIs beyond the ones KIND_SCHEMAS holds (Calico's and Cilium's). */
  readonly schemaOf?: (object: KubeObject) => Schema | undefined;
}

export interface Checked {
  /** The objects without errors, in input order. */
  readonly objects: readonly KubeObject[];
  readonly diagnostics: readonly Diagnostic[];
}

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/**
 * Decodes objects as the API server does under kubectl's `--validate=strict` and validates what
 * netdiagram interprets as the API server validates it: unknown fields (`k8s/unknown-field`, with a
 * "did you mean" from the schema), values of the wrong JSON type (`k8s/wrong-type`), object names
 * and namespaces, label and annotation keys, port names and numbers, and the zone annotation. An
 * object with an error is left out, since the cluster would refuse it; the other objects are kept.
 * The account-data annotations are netdiagram's own, which the cluster accepts whatever they say:
 * a value that does not parse is an error that keeps the object (`unread` says what was not read).
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
export function checkObjects(objects: readonly KubeObject[], options: StrictOptions = {}): Checked {
  const kept: KubeObject[] = [];
  const diagnostics: Diagnostic[] = [];
  const lineStarts = new Map<string, number[]>();
  for (const object of objects) {
    const found = checkObject(object, options, lineStarts);
    for (const d of found) diagnostics.push(d); // not push(...found): an object may hold more fields than the stack has room for arguments
    if (!found.some((d) => d.severity === 'error' && d.unread === undefined)) kept.push(object);
  }
  return { objects: kept, diagnostics };
}

function checkObject(object: KubeObject, options: StrictOptions, lineStarts: Map<string, number[]>): readonly Diagnostic[] {
  const problems = new Problems(object);

  // 1. decoding: every key known to the Go type, every value of its JSON type
  // a schema belongs to a kind of its group: another API's `Service` is not checked against the Kubernetes one
  const schema = options.schemaOf ? options.schemaOf(object) : readsKind(object.apiVersion, object.kind) ? KIND_SCHEMAS.get(object.kind) ?? GATEWAY_SCHEMAS.get(object.kind) : undefined;
  // nearly every object decodes cleanly: `conforms` says so without a path or a message, and the
  // walk that names each problem runs only for an object that has one
  if (schema) {
    if (!conforms(object.value, schema)) walkDecoding({ problems, options, lineStarts, path: [] }, object.value, schema);
  } else if (!conforms(object.value.metadata, METADATA_SCHEMA)) {
    walkDecoding({ problems, options, lineStarts, path: ['metadata'] }, object.value.metadata, METADATA_SCHEMA);
  }

  // 2. validation, where the value has the right type (a wrong type is reported above)
  const metadata = asRecord(object.value.metadata);
  const name = metadata?.name;
  if (typeof name === 'string' && name !== '') {
    const problem = nameProblem(object.kind, name);
    if (problem) problems.error('k8s/invalid-name', `${object.kind} name "${name}" ${problem}`, ['metadata', 'name']);
  }
  const namespace = metadata?.namespace;
  if (!CLUSTER_SCOPED_KINDS.has(object.kind) && typeof namespace === 'string' && namespace !== '' && !isDns1123Label(namespace)) {
    problems.error('k8s/invalid-name', `namespace "${namespace}" must be a DNS-1123 label: at most 63 characters, lower-case letters, digits and '-'`, ['metadata', 'namespace']);
  }
  // account-data annotations are read on the controller object too (a workload's own metadata)
  checkMeta(problems, metadata, METADATA_PATH, object.kind === 'Namespace' || object.kind === 'Pod', object.kind === 'Namespace' || WORKLOAD_KINDS.has(object.kind));

  const template = templatePathOf(object.kind);
  // the zone is read where the pods carry it (their template) and on the Namespace: on a
  // controller's own metadata it would leave the workload out of the CDE without a word
  const ownZone = stringsOf(metadata?.annotations)[ZONE_ANNOTATION];
  if (template && ownZone !== undefined) {
    problems.unreadPart('k8s/invalid-annotation', `${ZONE_ANNOTATION} on the ${object.kind}'s own metadata is not read: a zone is read from the pod template (${[...template.path, 'metadata', 'annotations'].join('.')}) or the Namespace; move it there`,
      ['metadata', 'annotations', ZONE_ANNOTATION], 'its zone');
  }
  if (template) {
    const podTemplate = asRecord(getIn(object.value, template.path));
    checkMeta(problems, asRecord(podTemplate?.metadata), template.metadata, true);
    // the controller and its pods stating different account data: netdiagram will not pick one
    const own = stringsOf(metadata?.annotations);
    const pods = stringsOf(asRecord(podTemplate?.metadata)?.annotations);
    for (const key of ACCOUNT_DATA_KEYS) {
      if (own[key] === undefined || pods[key] === undefined || sameAccountDataValue(key, own[key]!, pods[key]!)) continue;
      problems.unreadPart('k8s/invalid-annotation', `${key}: the ${object.kind} says "${own[key]}" but its pod template says "${pods[key]}"; state it once, or the same in both`,
        [...template.metadata, 'annotations', key], key === ACCOUNT_DATA_ANNOTATION ? 'its account-data role' : 'its data flows');
    }
    checkPodSpec(asRecord(podTemplate?.spec), template.spec, problems);
  }
  if (object.kind === 'Pod') checkPodSpec(asRecord(object.value.spec), SPEC_PATH, problems);
  if (object.kind === 'Service') checkServiceSpec(asRecord(object.value.spec), problems);
  if (object.kind === 'Ingress') checkIngressSpec(asRecord(object.value.spec), problems);

  const found = problems.list;
  if (found === undefined) return NO_DIAGNOSTICS;
  const ns = typeof namespace === 'string' && namespace !== '' && !CLUSTER_SCOPED_KINDS.has(object.kind) ? namespace : '';
  const text = typeof name === 'string' ? name : '';
  // `a/b` + `c` must not read like `a` + `b/c`: names that are not plain are quoted
  const plain = (t: string) => /^[a-z0-9.-]*$/.test(t);
  const what = plain(ns) && plain(text) ? `${object.kind} ${ns ? `${ns}/` : ''}${text}`.trim()
    : `${object.kind} ${JSON.stringify(text)}${ns ? ` in namespace ${JSON.stringify(ns)}` : ''}`;
  return found.map((p) => p.unread !== undefined
    ? { ...diagnostic(p.severity, p.code, `${p.message}; ${what} kept (its traffic is drawn), ${p.unread} not read`, p.location), unread: p.unread }
    : diagnostic(p.severity, p.code, p.severity === 'error' ? `${p.message}; ${what} left out` : p.message, p.location));
}

const METADATA_PATH: FieldPath = ['metadata'];
const SPEC_PATH: FieldPath = ['spec'];
const ACCOUNT_DATA_KEYS = [ACCOUNT_DATA_ANNOTATION, DATA_FLOWS_ANNOTATION] as const;

/** Labels, annotation keys, the zone and the account-data annotations of one metadata map. */
function checkMeta(problems: Problems, meta: Record<string, unknown> | undefined, path: FieldPath, readsZone: boolean, readsAccountData = readsZone): void {
  const labels = stringsOf(meta?.labels);
  const invalid = findInvalidLabel(labels);
  if (invalid) problems.error('k8s/invalid-label', invalid.problem, [...path, 'labels', invalid.key]);
  const annotations = stringsOf(meta?.annotations);
  // the API server checks annotation keys in lower case; the keys are sorted (for the order of the
  // errors) only when one is invalid
  let anyInvalid = false;
  for (const key in annotations) {
    if (!isValidLabelKey(key.toLowerCase())) {
      anyInvalid = true;
      break;
    }
  }
  if (anyInvalid) {
    for (const key of Object.keys(annotations).sort()) {
      if (!isValidLabelKey(key.toLowerCase())) problems.error('k8s/invalid-label', `annotation key "${key}" is not a valid qualified name`, [...path, 'annotations', key]);
    }
  }
  const zone = annotations[ZONE_ANNOTATION];
  // like the account-data annotations, the zone is netdiagram's own: the cluster runs the object
  // whatever it says, so its traffic is drawn and only the zone is not read
  if (readsZone && zone !== undefined && !ZONE_ANNOTATION_VALUES.includes(zone)) {
    problems.unreadPart('k8s/invalid-annotation', `${ZONE_ANNOTATION} "${zone}" is not a zone netdiagram knows; use ${ZONE_ANNOTATION_VALUES.map((v) => `"${v}"`).join(' or ')}`, [...path, 'annotations', ZONE_ANNOTATION], 'its zone');
  }
  if (!readsAccountData) return;
  // an account-data statement netdiagram cannot read is an error, never guessed at; but the API
  // server accepts any annotation value, so the object runs and its traffic is real: it is kept,
  // and every record built from it says whose role is unknown (left-out.ts, account-data.ts)
  const roles = annotations[ACCOUNT_DATA_ANNOTATION];
  const parsedRoles = roles === undefined ? undefined : parseAccountDataRoles(roles);
  if (parsedRoles && !parsedRoles.ok) problems.unreadPart('k8s/invalid-annotation', `${ACCOUNT_DATA_ANNOTATION}: ${parsedRoles.reason}`, [...path, 'annotations', ACCOUNT_DATA_ANNOTATION], 'its account-data role');
  const flows = annotations[DATA_FLOWS_ANNOTATION];
  const parsedFlows = flows === undefined ? undefined : parseDataFlowNames(flows);
  if (parsedFlows && !parsedFlows.ok) problems.unreadPart('k8s/invalid-annotation', `${DATA_FLOWS_ANNOTATION}: ${parsedFlows.reason}`, [...path, 'annotations', DATA_FLOWS_ANNOTATION], 'its data flows');
}

const NO_DIAGNOSTICS: readonly Diagnostic[] = [];

const POD_SPEC_CONTAINER_FIELDS = ['containers', 'initContainers'] as const;

/** Container ports as ValidateContainerPorts checks them: a port number, an IANA service name, a protocol. */
function checkPodSpec(spec: Record<string, unknown> | undefined, path: FieldPath, problems: Problems): void {
  if (spec === undefined) return;
  for (let f = 0; f < POD_SPEC_CONTAINER_FIELDS.length; f++) {
    const field = POD_SPEC_CONTAINER_FIELDS[f]!;
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const ports = asRecord(containers[i])?.ports;
      if (!Array.isArray(ports)) continue;
      for (let j = 0; j < ports.length; j++) {
        const port = asRecord(ports[j]);
        if (!port) continue;
        // (the port's path is made only for a problem: a path per port was most of the check's garbage)
        if (typeof port.name === 'string' && port.name !== '' && !isPortName(port.name)) {
          problems.error('k8s/invalid-port', `container port name "${port.name}" must be an IANA service name (at most 15 lower-case letters, digits and '-', with a letter)`, [...path, field, i, 'ports', j, 'name']);
        }
        if (typeof port.containerPort === 'number' && !isPortNumber(port.containerPort)) {
          problems.error('k8s/invalid-port', `containerPort ${port.containerPort} is outside 1-65535`, [...path, field, i, 'ports', j, 'containerPort']);
        } else if (port.containerPort === undefined || port.containerPort === null) {
          problems.error('k8s/invalid-port', 'a container port needs containerPort', [...path, field, i, 'ports', j]);
        }
        if (typeof port.hostPort === 'number' && port.hostPort !== 0 && !isPortNumber(port.hostPort)) {
          problems.error('k8s/invalid-port', `hostPort ${port.hostPort} is outside 1-65535`, [...path, field, i, 'ports', j, 'hostPort']);
        }
        if (typeof port.protocol === 'string' && !isProtocol(port.protocol)) {
          problems.error('k8s/invalid-port', `protocol "${port.protocol}" must be TCP, UDP or SCTP`, [...path, field, i, 'ports', j, 'protocol']);
        }
      }
    }
  }
}

/** Service type and ports as ValidateService checks them (port names are DNS-1123 labels there, not IANA names). */
function checkServiceSpec(spec: Record<string, unknown> | undefined, problems: Problems): void {
  if (typeof spec?.type === 'string' && !SERVICE_TYPES.includes(spec.type)) {
    problems.error('k8s/invalid-field', `Service type "${spec.type}" must be ${SERVICE_TYPES.join(', ')}`, ['spec', 'type']);
  }
  // the selector is validated as labels are (ValidateService → ValidateLabels)
  const selector = findInvalidLabel(stringsOf(spec?.selector));
  if (selector) problems.error('k8s/invalid-label', `selector: ${selector.problem}`, ['spec', 'selector', selector.key]);
  const ports = spec?.ports;
  if (!Array.isArray(ports)) return;
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = asRecord(p) ?? {};
    const at = ['spec', 'ports', i];
    const name = port.name;
    if (typeof name === 'string' && name !== '') {
      if (!isDns1123Label(name)) problems.error('k8s/invalid-port', `Service port name "${name}" must be a DNS-1123 label`, [...at, 'name']);
      if (names.has(name)) problems.error('k8s/invalid-port', `Service port name "${name}" is used twice`, [...at, 'name']);
      names.add(name);
    } else if (ports.length > 1) {
      // the API server refuses it, but Service port names do not change what is allowed: a warning, and the Service is kept
      problems.warn('k8s/invalid-port', 'a Service with more than one port needs a name for each (the API server refuses this Service)', at);
    }
    if (typeof port.port === 'number' ? !isPortNumber(port.port) : port.port === undefined || port.port === null) {
      problems.error('k8s/invalid-port', port.port === undefined || port.port === null ? 'a Service port needs port' : `port ${String(port.port)} is outside 1-65535`, at.concat(port.port === undefined || port.port === null ? [] : ['port']));
    }
    const target = port.targetPort;
    if (typeof target === 'number' && target !== 0 && !isPortNumber(target)) {
      problems.error('k8s/invalid-port', `targetPort ${target} is outside 1-65535`, [...at, 'targetPort']);
    } else if (typeof target === 'string' && target !== '' && !isPortName(target)) {
      const hint = /^\d+$/.test(target) ? ` (a quoted number is a port name; write ${target} without quotes)` : '';
      problems.error('k8s/invalid-port', `targetPort "${target}" is not a valid port name${hint}`, [...at, 'targetPort']);
    }
    if (typeof port.protocol === 'string' && !isProtocol(port.protocol)) {
      problems.error('k8s/invalid-port', `protocol "${port.protocol}" must be TCP, UDP or SCTP`, [...at, 'protocol']);
    }
  });
}

/** Ingress backends' ports as ValidateIngressBackend checks them: a port number or an IANA name, not both. */
function checkIngressSpec(spec: Record<string, unknown> | undefined, problems: Problems): void {
  const check = (backend: unknown, path: FieldPath) => {
    const port = asRecord(asRecord(asRecord(backend)?.service)?.port);
    if (!port) return;
    const at = [...path, 'service', 'port'];
    if (typeof port.name === 'string' && port.name !== '' && typeof port.number === 'number' && port.number !== 0) {
      problems.error('k8s/invalid-port', 'a backend port has a name or a number, not both', at);
    } else if (typeof port.name === 'string' && port.name !== '' && !isPortName(port.name)) {
      problems.error('k8s/invalid-port', `backend port name "${port.name}" is not a valid port name`, [...at, 'name']);
    } else if (typeof port.number === 'number' && !isPortNumber(port.number)) {
      problems.error('k8s/invalid-port', `backend port ${port.number} is outside 1-65535`, [...at, 'number']);
    }
  };
  check(spec?.defaultBackend, ['spec', 'defaultBackend']);
  const rules = spec?.rules;
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, i) => {
    const paths = asRecord(asRecord(rule)?.http)?.paths;
    if (Array.isArray(paths)) paths.forEach((p, j) => check(asRecord(p)?.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
  });
}

/** Where a kind keeps its pod template, with the paths of the template's metadata and spec (made once, not per object). */
interface TemplatePaths {
  readonly path: FieldPath;
  readonly metadata: FieldPath;
  readonly spec: FieldPath;
}
function templatePathOf(kind: string): TemplatePaths | undefined {
  if (kind === 'CronJob') return CRONJOB_TEMPLATE;
  if (kind === 'Pod' || !KIND_SCHEMAS.has(kind)) return undefined;
  return TEMPLATE_KINDS.has(kind) ? SPEC_TEMPLATE : undefined;
}
const templatePaths = (path: FieldPath): TemplatePaths => ({ path, metadata: [...path, 'metadata'], spec: [...path, 'spec'] });
const CRONJOB_TEMPLATE = templatePaths(['spec', 'jobTemplate', 'spec', 'template']);
const SPEC_TEMPLATE = templatePaths(['spec', 'template']);
const TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** The string entries of a map (wrong types are reported by the decoding step). */
/** The string entries of a map (the map itself when all are strings): read, never written. */
function stringsOf(value: unknown): Readonly<Record<string, string>> {
  const record = asRecord(value);
  if (!record) return NO_STRINGS;
  // nearly every map holds strings only: it is its own answer (nothing here changes it), without a copy
  let allStrings = true;
  for (const key in record) {
    if (typeof record[key] !== 'string') {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return record as Record<string, string>;
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

const NO_STRINGS: Readonly<Record<string, string>> = Object.freeze({});

