// Where a one-way fiber switch's time goes (issue 12): perf's cpu-clock samples of the switch micro-benchmark,
// each sample's call chain given to one part. The rules run from the sampled frame towards the root and the
// first frame a rule names decides; libc helpers (locks, TLS reads, memcpy) name no part, so they count for
// the V8 or runtime function that called them.

export interface SwitchPart {
  part: string;
  // What the part holds, for the table's reader.
  what: string;
  frames: RegExp;
}

export const SWITCH_PARTS: readonly SwitchPart[] = [
  // Frame-pointer chains often skip a leaf's direct caller, so the leaf-level parts come first.
  {
    part: 'process start-up and exit',
    what: 'dynamic linking, V8 and stdlib start-up: the same in both runs, so near zero',
    frames: /_dl_|do_lookup_x|dl_main|check_match|do_exit|V8::Initialize|Isolate::Init\b/,
  },
  {
    part: 'V8 mutexes',
    what: "the isolate lock's mutex taken and released by `Locker`/`Unlocker`, and `ExecutionAccess` in the archive/restore",
    frames: /pthread_mutex_lock|pthread_mutex_unlock|__GI___pthread_mutex/,
  },
  {
    part: 'V8 per-thread data lookup',
    what: 'ThreadId and PerIsolateThreadData lookups done by the Locker, Unlocker and archive',
    frames:
      /ThreadDataTable::Lookup|FindPerThreadDataForThisThread|FindOrAllocatePerThreadDataForThisThread|FindPerThreadDataForThread|ThreadId::GetCurrentThreadId|ThreadManager::CurrentId/,
  },
  {
    part: 'V8 restore: debugger scope',
    what: '`Debug::RestoreDebug`: a `DebugScope` walks the arriving stack to its top JS frame',
    frames: /Debug::RestoreDebug|DebugScope::|Debug::ClearOneShot/,
  },
  {
    part: 'V8 restore: thread state',
    what: '`v8::Locker` re-taken: `ThreadManager::RestoreThread` copies handle scopes, frame chain, stack guard, RegExp stack back',
    frames:
      /ThreadManager::RestoreThread|::RestoreThread|RestoreStackGuard|RegExpStack::RestoreStack|Relocatable::RestoreState|Bootstrapper::RestoreState|v8::Locker::|ThreadManager::Lock\b/,
  },
  {
    part: 'V8 archive: thread state',
    what: "`v8::Unlocker`: `ArchiveThread` and the eager copy of the leaving fiber's state",
    frames:
      /ThreadManager::EagerlyArchiveThread|::ArchiveThread|ArchiveStackGuard|RegExpStack::ArchiveStack|Relocatable::ArchiveState|Bootstrapper::ArchiveState|v8::Unlocker::|ThreadManager::Unlock/,
  },
  {
    part: 'runtime: promise-job check',
    what: 'the job queue length read at each block, the job-loop fields swapped',
    frames: /V8JobState|JobsWaiting|RunMicrotasks|MicrotaskQueue|TakeJobRunner/,
  },
  {
    part: 'runtime: V8 thread-identity swap',
    what: "two `pthread_setspecific` and V8's `thread_id` per switch",
    frames: /V8ThreadIdentity|SwapIdentity/,
  },
  {
    part: 'runtime: context switch',
    what: '`jump_fcontext` / `swapcontext` / the thread baton',
    frames: /jump_fcontext|ontop_fcontext|swapcontext|__start_context|sem_wait|sem_post|futex/,
  },
  {
    part: 'runtime: libuv poll and platform tasks',
    what: 'the loop turn taken when no fiber is runnable (every 64th yield)',
    frames: /uv_run|uv__io_poll|uv__run_timers|epoll_wait|RunPlatformTasks|PumpMessageLoop/,
  },
  {
    part: 'runtime: scheduler bookkeeping',
    what: 'run queue, hand-off, yield binding',
    frames: /corojs::fiber::|corojs::.*Yield/,
  },
  {
    part: 'JS loop and API call',
    what: "the benchmark's JS loop and V8's call into the `Fiber.yield` binding",
    frames: /Builtin_HandleApiCall|FunctionCallbackArguments|Builtins_|\[JIT\]|^0x|\[unknown\]/,
  },
];

export const OTHER_PART = 'other';

// The part one sample's chain (sampled frame first) belongs to.
export function partOf(chain: readonly string[]): string {
  for (const frame of chain) {
    const rule = SWITCH_PARTS.find((p) => p.frames.test(frame));
    if (rule) return rule.part;
  }
  return OTHER_PART;
}

// `perf script -F ip,sym` output: one block of frames per sample, blocks separated by blank lines.
export function samplesOf(perfScript: string): string[][] {
  const samples: string[][] = [];
  let chain: string[] = [];
  for (const line of perfScript.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) {
      if (chain.length) samples.push(chain);
      chain = [];
      continue;
    }
    const space = trimmed.indexOf(' ');
    chain.push(space < 0 ? trimmed : trimmed.slice(space + 1));
  }
  if (chain.length) samples.push(chain);
  return samples;
}

export function countParts(samples: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chain of samples) {
    const part = partOf(chain);
    counts.set(part, (counts.get(part) ?? 0) + 1);
  }
  return counts;
}
