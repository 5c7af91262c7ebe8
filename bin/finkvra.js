#!/usr/bin/env node
// The `finkvra` command. tsx's loader runs the TypeScript sources directly, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../core/cli/main.ts');
