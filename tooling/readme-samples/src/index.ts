export { extractSamples, type Sample } from './extract.js';
export { asModule, FIXTURES } from './prelude.js';
