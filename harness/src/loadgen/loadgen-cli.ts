// Load generator child process: `node loadgen-cli.js '<LoadConfig JSON>'`, pinned by the harness to its own
// CPU; prints the LoadResult as JSON on its last stdout line. The native generator runs when the addon is
// built; LAB_JS_LOADGEN=1 forces the Node one (echo only), kept as a cross-check.
import { loadNativeAddon } from '../native-addon.js';
import { runEchoLoad } from './echo-client.js';
import type { LoadConfig, LoadResult } from './loadgen-protocol.js';
import { runNativeLoad } from './native-load-client.js';

const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const addon = process.env.LAB_JS_LOADGEN ? null : loadNativeAddon();
let result: LoadResult;
if (addon) result = runNativeLoad(addon, config);
else if (config.kind === 'echo') result = await runEchoLoad(config);
else throw new Error('the HTTP load generator is native: build harness/native (npm run build)');
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
