export { layoutGraph, layoutView, type Layout, type LayoutOptions, type LayoutNode, type LayoutContainer, type LayoutEdge } from './layout.js';
export { renderSvg, type RenderOptions } from './svg.js';
export { renderPng, pngSize, PNG_MAX_PIXELS, type PngOptions, type PngSize } from './png.js';
export { bundledFontFiles } from './bundled-font.js';
export { renderPdf, type PdfOptions } from './pdf.js';
export { placeOnPage, pageNamed, describePage, DEFAULT_PAGE, PAGE_MARGIN_MM, PAGE_NAMES, type PageSpec, type PaperName, type Orientation, type Placement } from './page.js';
export { defaultTheme, EDGE_STYLES, type Theme, type EdgeLook, type EdgeStyle } from './theme.js';
export { ASSUMPTION, TIERED_ASSUMPTION, CALICO_ASSUMPTION, CILIUM_ASSUMPTION, assumptionOf, type TitleBlockInfo } from './title-block.js';
export { buildView, MAX_AUTO_NODES, WORKLOAD_DETAIL_MAX_NAMESPACES, FULL_DETAIL_MAX_WORKLOADS, FULL_DETAIL_MAX_NODES, type ViewOptions } from './view/build.js';
export { measureText, truncateText, MAX_LABEL_CHARS, type TextStyle } from './measure.js';
export { MAX_BOUNDARY_ROWS } from './boundary-table.js';
export { CDE_LABEL } from './view/scope.js';
export { boundaryExposureRows, ENTIRE_CLUSTER_LABEL } from './view/exposure.js';
export type {
  Detail, DetailOption, Direction, DiagramView, DiagramNode, DiagramEdge, DiagramContainer, DiagramStats,
  WorkloadShape, ServiceShape, IngressShape, ExternalShape, AnyShape, RepresentativeShape, PeerGroupShape, NamespaceSummaryShape, RemovedShape, VolumeShape, PortBadge, ConfigBadge,
  ScopeZone, DiagramScope, DiagramChanges,
} from './view/types.js';
export type { Box, Point } from './shapes/geometry.js';
export { buildDataFlowView, dataStoreId, policiesText, ENTRY_MARK, EXIT_MARK, type DataFlowViewOptions } from './dataflow/view.js';
export { dataFlowGraph } from './dataflow/graph.js';
export { renderDataFlowSvg } from './dataflow/svg.js';
export { MAX_DATA_FLOW_ROWS } from './dataflow/table.js';
export type { DataStoreShape } from './view/types.js';
export { renderPages, type DiagramPage, type PagingOptions } from './pages.js';
export { MIN_TEXT_PT, printedTextSize } from './print-size.js';
export type { PageInfo } from './title-block.js';
export { svgId } from './format.js';
export type { StagedGraphs } from './view/staged.js';
