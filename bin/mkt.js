#!/usr/bin/env node
// The `mkt` command. In a checkout (src/ present) it runs the TypeScript sources through tsx, so there
// is no build step to forget; in the production image, which holds only dist/, the compiled JavaScript.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/cli.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  await import('../dist/cli.js');
}
