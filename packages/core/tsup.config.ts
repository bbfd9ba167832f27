import { defineConfig, type Options } from 'tsup';
import shared from '../../tsup.base';

if (typeof shared === 'function' || Array.isArray(shared)) {
  throw new Error('tsup.base.ts is expected to export a single options object.');
}
const base: Options = shared;

// Two builds, run side by side by tsup: the library (ESM + CJS + .d.ts, as every package) and
// the `ai-security-monitor` bin (ESM only, no types). The library build cleans dist/, so it must
// leave the bin's files alone. src/cli.ts starts with `#!/usr/bin/env node`: esbuild keeps it as
// the first line and tsup marks dist/cli.js executable.
export default defineConfig([
  {
    ...base,
    entry: {
      index: 'src/index.ts',
      redis: 'src/stores/redis-store.ts',
      metrics: 'src/metrics/prometheus.ts',
    },
    clean: ['!cli.js', '!cli.js.map'],
  },
  {
    ...base,
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
  },
]);
