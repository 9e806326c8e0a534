import { describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../src/args.js';
import { DemoUsageError } from '../src/errors.js';

describe('parseDemoArgs', () => {
  it('defaults to 12 s; --duration wins over MQ_DEMO_DURATION', () => {
    expect(parseDemoArgs([], {})).toEqual({
      help: false,
      durationMs: 12_000,
      backend: 'memory:',
      dashboardPort: 7070,
    });
    expect(parseDemoArgs([], { MQ_DEMO_DURATION: '4' })).toEqual({
      help: false,
      durationMs: 4000,
      backend: 'memory:',
      dashboardPort: 7070,
    });
    expect(parseDemoArgs(['--duration', '2.5'], { MQ_DEMO_DURATION: '4' })).toEqual({
      help: false,
      durationMs: 2500,
      backend: 'memory:',
      dashboardPort: 7070,
    });
    expect(parseDemoArgs(['--help'], {})).toEqual({ help: true });
  });

  it('takes the backend URL from --backend, else MQ_URL, else memory:', () => {
    expect(parseDemoArgs([], { MQ_URL: 'redis://h' })).toMatchObject({ backend: 'redis://h' });
    expect(parseDemoArgs(['--backend', 'memory:'], { MQ_URL: 'redis://h' })).toMatchObject({
      backend: 'memory:',
    });
  });

  it('serves the dashboard on --port (else MQ_DEMO_PORT, else 7070) unless --no-dashboard', () => {
    expect(parseDemoArgs(['--port', '0'], {})).toMatchObject({ dashboardPort: 0 });
    expect(parseDemoArgs([], { MQ_DEMO_PORT: '8080' })).toMatchObject({ dashboardPort: 8080 });
    expect(parseDemoArgs(['--no-dashboard'], {})).toMatchObject({ dashboardPort: null });
    expect(() => parseDemoArgs(['--port', '70000'], {})).toThrow(DemoUsageError);
  });

  it.each([['0'], ['-3'], ['abc'], ['601']])('rejects --duration %s', (value) => {
    expect(() => parseDemoArgs(['--duration', value], {})).toThrow(DemoUsageError);
  });

  it('rejects unknown options with a hint', () => {
    expect(() => parseDemoArgs(['--fast'], {})).toThrow(/pnpm demo --help/);
  });
});
