// The global dns (spec 4): resolve(hostname, rrtype = 'A') -> { TYPE: records }, blocking only the calling
// fiber; extensions setServers/getServers (as in Node) and configure({ timeout, tries }).
import primordials from './primordials.js';
import { typeError } from './errors.js';

const prim = primordials.dns;

globalThis.dns = {
  resolve(hostname, rrtype = 'A') {
    if (typeof hostname !== 'string') throw typeError('The "hostname" argument must be a string');
    return prim.resolve(hostname, String(rrtype).toUpperCase());
  },
  setServers(servers) {
    prim.setServers(servers);
  },
  getServers() {
    return prim.getServers();
  },
  // Per-attempt timeout in ms and the number of attempts (c-ares defaults: 5000 ms, 4 tries).
  configure({ timeout = 5000, tries = 4 } = {}) {
    prim.configure(timeout, tries);
  },
};
