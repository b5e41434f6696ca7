// Every cost case, in a stable order: see README.md.
import { cases as input } from './input.mjs';
import { cases as output } from './output.mjs';
import { cases as policy } from './policy.mjs';

export const costCases = [...input, ...policy, ...output];
