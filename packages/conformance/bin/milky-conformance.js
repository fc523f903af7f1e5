#!/usr/bin/env node
import { launch } from './launch.js';

await launch('milky-conformance', new URL('../dist/cli.js', import.meta.url).href);
