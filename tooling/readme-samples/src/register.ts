import { register } from 'node:module';

// `node --import <this file>`: installs the stand-in hooks before the sample loads.
register(new URL('./memory-hooks.ts', import.meta.url));
