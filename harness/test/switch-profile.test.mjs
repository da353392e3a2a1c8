// The switch profile (issue 12): perf call chains go to the part their first named frame says, and the table in
// docs/ARCHITECTURE.md is exactly what results/switch-profile.json gives (`npm run report`).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { partOf, samplesOf, countParts } from '../../build/ts/harness/src/profile/switch-parts.js';
import {
  readSwitchProfile,
  switchProfileTable,
  withSwitchProfileTable,
} from '../../build/ts/harness/src/profile/switch-profile.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('a sample belongs to the part of its first named frame; libc helpers count for their caller', () => {
  assert.equal(
    partOf([
      'v8::internal::StackFrameIteratorBase::StackFrameIteratorBase',
      'v8::internal::DebugScope::DebugScope',
      'v8::internal::Debug::RestoreDebug',
      'v8::internal::ThreadManager::RestoreThread',
    ]),
    'V8 restore: debugger scope',
  );
  assert.equal(
    partOf([
      '__memmove_avx_unaligned_erms',
      'v8::internal::ThreadManager::EagerlyArchiveThread',
      'v8::internal::ThreadManager::RestoreThread',
    ]),
    'V8 archive: thread state',
  );
  assert.equal(
    partOf(['v8::internal::HandleScopeImplementer::RestoreThread', 'corojs::fiber::(anonymous namespace)::HandOff']),
    'V8 restore: thread state',
  );
  assert.equal(
    partOf(['pthread_getspecific@@GLIBC_2.34', 'v8::internal::Isolate::FindPerThreadDataForThisThread']),
    'V8 per-thread data lookup',
  );
  assert.equal(
    partOf(['v8::Unlocker::Initialize', 'corojs::fiber::(anonymous namespace)::HandOff']),
    'V8 archive: thread state',
  );
  assert.equal(partOf(['jump_fcontext', '[unknown]']), 'runtime: context switch');
  assert.equal(
    partOf(['corojs::fiber::(anonymous namespace)::NextRunnable', '[unknown]']),
    'runtime: scheduler bookkeeping',
  );
  assert.equal(partOf(['some_unnamed_function']), 'other');
});

test('perf script blocks are parsed into chains and counted', () => {
  const script =
    '\n\t  7f01 jump_fcontext\n\t  0 [unknown]\n\n\t  7f02 v8::internal::Debug::RestoreDebug\n\t  7f03 v8::internal::ThreadManager::RestoreThread\n\n\t  7f04 jump_fcontext\n';
  const samples = samplesOf(script);
  assert.deepEqual(samples[1], ['v8::internal::Debug::RestoreDebug', 'v8::internal::ThreadManager::RestoreThread']);
  const counts = countParts(samples);
  assert.equal(counts.get('runtime: context switch'), 2);
  assert.equal(counts.get('V8 restore: debugger scope'), 1);
});

test('docs/ARCHITECTURE.md holds the table results/switch-profile.json gives (npm run report)', () => {
  const profile = readSwitchProfile(resolve(ROOT, 'results/switch-profile.json'));
  const docs = readFileSync(resolve(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  assert.equal(
    withSwitchProfileTable(docs, profile),
    docs,
    'docs/ARCHITECTURE.md and results/switch-profile.json disagree: run npm run report',
  );
  const changed = structuredClone(profile);
  changed.parts[0].ns_per_switch = 98765.4;
  assert.match(switchProfileTable(changed), /98765\.4/);
  assert.throws(() => withSwitchProfileTable('no markers', profile), /no switch-profile markers/);
});
