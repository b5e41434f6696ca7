/** A flow's boundary number and its direction across the CDE boundary. */
export interface BoundaryMark {
  /** `F3`. */
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
}

/** How a flow of the drawn graph changed since the previous input. */
export interface ChangeMark {
  readonly change: 'added' | 'changed';
  /** Tooltip lines: `+ TCP 443 (10.97.0.0/16 → …)`. */
  readonly notes: readonly string[];
}

/** What the edges of a view are marked with, per graph flow: boundary numbers, and changes in a diff diagram. */
export interface FlowMarks {
  readonly boundaryOf: (source: string, target: string) => BoundaryMark | undefined;
  readonly changeOf: (source: string, target: string) => ChangeMark | undefined;
  /**
   * Whether a workload was open (not isolated) in a direction in the previous input: false when it
   * was isolated or did not exist; undefined when there is no previous input.
   */
  readonly wasOpen: (id: string, direction: 'ingress' | 'egress') => boolean | undefined;
}

/** No scope and no previous input: nothing to mark. */
export const NO_MARKS: FlowMarks = {
  boundaryOf: () => undefined,
  changeOf: () => undefined,
  wasOpen: () => undefined,
};
