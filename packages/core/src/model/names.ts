/**
 * Object names and namespaces as the API server validates them (k8s.io/apimachinery
 * pkg/util/validation): most kinds need a DNS-1123 subdomain, Namespaces and Services a DNS-1123
 * label. A name with `/` or capitals is rejected by the cluster, and here it would also blur ids:
 * `a` + `b/c` and `a/b` + `c` would both read as `a/b/c`.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(text: string): boolean {
  return text.length <= 63 && LABEL.test(text);
}

export function isDns1123Subdomain(text: string): boolean {
  return text.length <= 253 && SUBDOMAIN.test(text);
}

/** What makes a name invalid for a kind, or undefined when it is valid. */
export function nameProblem(kind: string, name: string): string | undefined {
  switch (kind) {
    case 'Namespace':
    case 'Service':
      // Services: DNS-1035 (a leading letter) before Kubernetes 1.34's RelaxedServiceNameValidation; the label rule accepts both
      return isDns1123Label(name) ? undefined : 'must be a DNS-1123 label: at most 63 characters, lower-case letters, digits and \'-\', starting and ending with a letter or digit';
    case 'Route':
      // OpenShift validates Route names as path segments
      return name === '.' || name === '..' || /[/%]/.test(name) ? 'may not be "." or "..", nor contain "/" or "%"' : undefined;
    default:
      return isDns1123Subdomain(name) ? undefined : 'must be a DNS-1123 subdomain: at most 253 characters, lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit';
  }
}
