export { computeExposure, type Exposure, type ExposureRow, type Unprotected } from './compute.js';
export { exposureToJson, formatExposureSection, type ExposureJson } from './json.js';
export { ENTIRE_CLUSTER, formatPeer, isEntireCluster, peerKey, peerToJson, selectorToJson, type LabelSelectorJson, type RepresentativePeer, type RepresentativePeerJson } from './peer.js';
export { formatExposurePorts, exposurePortsToJson, type ExposurePorts, type ExposurePortJson, type NamedPort } from './ports.js';
