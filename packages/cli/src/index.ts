export { main, toolVersion } from './main.js';
export type { Io } from './io.js';
