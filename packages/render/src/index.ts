/** Placeholder until the renderer lands (issue 3). */
export const RENDER_VERSION = '0.1.0';
