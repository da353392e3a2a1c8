// The stdlib's entry (spec 2.5): the kernel evaluates it as an ES module before the user's script. Each
// import below publishes globals; the order of these lines is the order they are published in (a module's
// own imports run first). inspect.js (through console.js) counts the capitalised globals present when it runs
// as built-in constructors: today the language's own and encoding.js's.
import './array-join.js';
import './encoding.js';
import './console.js';
import './process.js';
import './fiber.js';
import './timers.js';
import './fs.js';
import './net.js';
import './tls.js';
import './dns.js';
