export { main } from './main.js';
export { toolVersion } from './version.js';
export type { Io } from './io.js';
