#!/usr/bin/env node
import { launch } from './launch.js';

await launch('milky-broker', new URL('../dist/cli.js', import.meta.url).href);
