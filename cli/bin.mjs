#!/usr/bin/env node
// The CLI is TypeScript, like the dbdeck.config.ts it loads: tsx compiles both on the fly.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
