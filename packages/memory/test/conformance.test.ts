import { runConformance } from '@mq/conformance';
import { createMemoryBackend } from '../src/index.js';

// Every test of the shared suite, nothing skipped: the memory backend is the reference.
// Each call makes an isolated backend; the suite uses unique queue names regardless.
runConformance({ name: 'memory', createBackend: () => createMemoryBackend() });
