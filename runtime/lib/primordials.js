// The kernel's __primordials (spec 2.4), the stdlib's only way into C++: every module imports it from here.
export default globalThis.__primordials;
