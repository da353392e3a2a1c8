// fiber-memory (Go twin of baselines/fiber-memory.ts, idle mode): n goroutines, each sleeping on its own long
// timer (as each CoroJS fiber sleeps on its own timer); VmRSS delta / n, and Go's stack memory in use
// (runtime.MemStats.StackInuse) delta / n as the stack bytes per goroutine.
// Usage: fiber-memory idle <count>
package main

import (
	"runtime"
	"strconv"
	"sync"
	"time"

	"corojs-lab/baselines/go/internal/lab"
)

func stackInuse() uint64 {
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.StackInuse
}

func main() {
	n, _ := strconv.Atoi(lab.Args("fiber-memory", []string{"=idle", "count"})["count"])
	time.Sleep(20 * time.Millisecond)
	before, stackBefore := lab.StatusBytes("VmRSS"), stackInuse()
	var started sync.WaitGroup
	started.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			started.Done()
			time.Sleep(time.Hour)
		}()
	}
	started.Wait()
	time.Sleep(50 * time.Millisecond)
	after, stackAfter := lab.StatusBytes("VmRSS"), stackInuse()
	lab.Result(map[string]interface{}{"kind": "idle-fibers", "workload": "sleep", "n": n, "fibers": n, "rss_before_bytes": before, "rss_after_bytes": after,
		"stack_resident_before_bytes": stackBefore, "stack_resident_after_bytes": stackAfter, "runtime": runtime.Version()})
}
