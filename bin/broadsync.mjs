#!/usr/bin/env node
// `npx broadsync …`: runs the CLI (src/cli/main.ts) through tsx, like scripts/run.mjs runs the server.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
