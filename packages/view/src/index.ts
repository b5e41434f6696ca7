export { exploreData, exploreDrawing, listedFlows, type ExploreInput } from './explore-data.js';
export { expandedLevels, type Levels, type LevelsInput } from './levels.js';
export { renderHtml, jsonForScript, type HtmlOptions } from './html.js';
export { renderInteractiveHtml, type InteractiveInput } from './interactive.js';
export { DATA_ELEMENT_ID, LEVELS_ELEMENT_ID, drawnEnds, type ExploreLevel, type ExploreData, type ExploreNode, type ExploreEdge, type ExploreFlow, type ExploreRule, type ExploreNamespace } from './data.js';
