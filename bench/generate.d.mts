/** Types for bench/generate.mjs, so TypeScript tests can import the generator. */

export interface ClusterSize {
  /** Namespaces in all, the three system ones (kube-system, monitoring, ingress-nginx) included. */
  readonly namespaces: number;
  /** Deployments in all, the three system ones included. */
  readonly workloads: number;
  readonly policies: number;
  /** > 0: also a ReplicaSet per Deployment and this many Pods per ReplicaSet, linked by ownerReferences. */
  readonly podsPerWorkload?: number;
}

export declare const SIZES: Readonly<Record<'S' | 'M' | 'L' | 'XL', Required<ClusterSize>>>;

export interface GeneratedSource {
  /** A relative path such as `payments-prod/deployments.yaml`. */
  readonly name: string;
  readonly text: string;
}

/** A realistic synthetic cluster as manifest sources, sorted by name; same size and seed, same bytes. */
export declare function generateCluster(options?: { readonly size?: keyof typeof SIZES | ClusterSize; readonly seed?: number }): GeneratedSource[];

/** Writes sources under `dir` (emptied first); returns the bytes written. */
export declare function writeCluster(sources: readonly GeneratedSource[], dir: string): number;

/** Documents per kind. */
export declare function countKinds(sources: readonly GeneratedSource[]): Record<string, number>;

export interface Random {
  next(): number;
  int(n: number): number;
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  suffix(length: number): string;
  uid(): string;
}

/** The seeded PRNG the generator uses (mulberry32). */
export declare function createRandom(seed: number): Random;
