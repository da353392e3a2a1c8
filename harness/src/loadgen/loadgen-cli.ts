// Load generator child process: `node loadgen-cli.js '<EchoLoadConfig JSON>'`, pinned by the harness to its own
// CPU; prints the LoadResult as JSON on its last stdout line. Plain TCP uses the native generator when built
// (LAB_JS_LOADGEN=1 forces the JS one); TLS uses Node's tls.
import { loadNativeAddon } from '../native-addon.js';
import { runEchoLoad } from './echo-client.js';
import type { EchoLoadConfig, LoadResult } from './loadgen-protocol.js';
import { runNativeEchoLoad } from './native-echo-client.js';

const config = JSON.parse(process.argv[2] ?? '{}') as EchoLoadConfig;
const addon = process.env.LAB_JS_LOADGEN ? null : loadNativeAddon();
const result: LoadResult & { generator?: string } =
  addon && config.transport === 'tcp' && config.pattern === 'steady'
    ? { ...runNativeEchoLoad(addon, config), generator: 'native' }
    : { ...(await runEchoLoad(config)), generator: 'node' };
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
