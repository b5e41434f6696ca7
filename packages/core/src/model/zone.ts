/** The annotation that puts a workload (pod template) or a namespace into a zone: `cde` or `out-of-scope`. */
export const ZONE_ANNOTATION = 'netdiagram.io/zone';

/** The values of the zone annotation that the scope acts on; any other value is an input error. */
export const ZONE_ANNOTATION_VALUES: readonly string[] = ['cde', 'out-of-scope'];
