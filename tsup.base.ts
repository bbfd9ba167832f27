import { defineConfig } from 'tsup';

/** Build settings shared by every published package: ESM + CJS + .d.ts for Node 20. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
