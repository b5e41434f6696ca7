export { exploreData, type ExploreInput } from './explore-data.js';
export { renderHtml, jsonForScript, type HtmlOptions } from './html.js';
export { DATA_ELEMENT_ID, type ExploreData, type ExploreNode, type ExploreEdge, type ExploreFlow, type ExploreRule, type ExploreNamespace } from './data.js';
