import { exploreData, type ExploreInput } from './explore-data.js';
import { renderHtml } from './html.js';
import { expandedLevels, type LevelsInput } from './levels.js';

export interface InteractiveInput extends ExploreInput, LevelsInput {
  /** The overview as `renderSvg` drew `layout` with `renderOptions`. */
  readonly svg: string;
}

/** The interactive page of a diagram: its SVG, its data, and an expanded view per collapsed namespace. */
export async function renderInteractiveHtml(input: InteractiveInput): Promise<string> {
  const { expandable, levels } = await expandedLevels(input);
  return renderHtml({ svg: input.svg, data: exploreData({ ...input, expandable }), levels });
}
