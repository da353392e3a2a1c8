// The stack sweep's recursion requirement, measured (issue 13): how deep Node recurses on its default main
// stack (--stack-size 984 KiB), with the same trivial function workloads/stack-sweep.mjs recurses with in a
// fiber. Prints one "RESULT {json}" line. Run by the stack-sweep runner with Node 20 in the same lab run.
function recursionDepth(): { depth: number; range_error: boolean } {
  let depth = 0;
  const down = (): void => {
    depth++;
    down();
  };
  try {
    down();
  } catch (error) {
    return { depth, range_error: error instanceof RangeError };
  }
  return { depth, range_error: false };
}

recursionDepth(); // warm, as the CoroJS probe does before it measures
console.log(`RESULT ${JSON.stringify({ ...recursionDepth(), runtime: `node ${process.version}` })}`);
