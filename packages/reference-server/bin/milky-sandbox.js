#!/usr/bin/env node
import { launch } from './launch.js';

await launch('milky-sandbox', new URL('../dist/sandbox/cli.js', import.meta.url).href);
