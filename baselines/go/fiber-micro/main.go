// fiber-micro (Go twin of baselines/fiber-micro.ts): the same variants and RESULT lines with goroutines,
// GOMAXPROCS=1 (one CPU, like the single-threaded event loops and CoroJS's fibers).
// Usage: fiber-micro <variants> <duration_ms> <recursion_depth> | switch <yields> | probe
//   probe        runtime identification only
//   switch N     the switch ladder's go-goroutine rung: two goroutines ping-pong N round trips over unbuffered
//                channels; ns per ONE-WAY switch = elapsed / (2 N)
//   pingpong     one op = a round trip between two goroutines over unbuffered channels (two switches)
//   spawn-join   one op = starting a goroutine and waiting for it to finish (a channel receive)
//   recursion    one op = a plain recursion `depth` deep on the main goroutine, whose stack grows
//                by copying the first time (and again after a garbage collection shrank it)
package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"corojs-lab/baselines/go/internal/lab"
)

const batchTargetNs = 20000

func percentiles(perOpNs []float64) map[string]float64 {
	sort.Float64s(perOpNs)
	at := func(q float64) float64 {
		if len(perOpNs) == 0 {
			return 0
		}
		i := int(math.Floor(q * float64(len(perOpNs))))
		if i > len(perOpNs)-1 {
			i = len(perOpNs) - 1
		}
		return perOpNs[i]
	}
	us := func(ns float64) float64 { return math.Round(ns) / 1000 }
	return map[string]float64{"p50": us(at(0.5)), "p90": us(at(0.9)), "p99": us(at(0.99)), "p999": us(at(0.999)), "max": us(at(1))}
}

// measure runs batch(n) (n ops) for durationMs after a warm-up and calibration, as the Node twin does.
func measure(variant string, batch func(n int), durationMs float64) map[string]interface{} {
	warmUntil := time.Now().Add(time.Duration(durationMs * 0.2 * 1e6))
	for time.Now().Before(warmUntil) {
		batch(1)
	}
	block, blockNs := 1, 0.0
	for {
		t0 := time.Now()
		batch(block)
		blockNs = float64(time.Since(t0).Nanoseconds())
		if blockNs >= 5e6 || block >= 1<<24 {
			break
		}
		block *= 2
	}
	size := int(math.Max(1, math.Min(1<<20, math.Ceil(batchTargetNs/(blockNs/float64(block))))))
	cpu0 := lab.CPUSeconds()
	var perOp []float64
	ops := 0
	start := time.Now()
	end := start.Add(time.Duration(durationMs * 1e6))
	t := start
	for t.Before(end) {
		batch(size)
		t1 := time.Now()
		perOp = append(perOp, float64(t1.Sub(t).Nanoseconds())/float64(size))
		ops += size
		t = t1
	}
	elapsed := t.Sub(start).Seconds()
	return map[string]interface{}{"variant": variant, "ops": ops, "elapsed_ns": t.Sub(start).Nanoseconds(), "ops_per_s": float64(ops) / elapsed, "batch": size,
		"latency_us": percentiles(perOp), "cpu_pct": math.Round((lab.CPUSeconds()-cpu0)/elapsed*1000) / 10, "rss_bytes": lab.StatusBytes("VmHWM"), "runtime": runtime.Version()}
}

// pingPong starts the partner goroutine; rounds(n) runs n round trips from the caller's side.
func pingPong() (rounds func(n int), stop func()) {
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			pong <- struct{}{}
		}
	}()
	return func(n int) {
		for i := 0; i < n; i++ {
			ping <- struct{}{}
			<-pong
		}
	}, func() { close(ping) }
}

//go:noinline
func down(k int) int {
	if k == 0 {
		return 0
	}
	return down(k-1) + 1
}

func main() {
	runtime.GOMAXPROCS(1)
	args := lab.Args("fiber-micro", []string{"variants", "duration_ms", "recursion_depth"}, []string{"=switch", "yields"}, []string{"=probe"})
	variants := strings.Split(os.Args[1], ",")
	amountArg := args["duration_ms"]
	if variants[0] == "switch" {
		amountArg = args["yields"]
	}
	amount, _ := strconv.ParseFloat(amountArg, 64)
	depth, _ := strconv.Atoi(args["recursion_depth"])
	if variants[0] == "probe" {
		lab.Result(map[string]interface{}{"variant": "probe", "runtime": runtime.Version()})
		return
	}
	if variants[0] == "switch" {
		rounds, stop := pingPong()
		rounds(1000) // warm
		n := int(amount)
		t0 := time.Now()
		rounds(n)
		elapsed := time.Since(t0).Nanoseconds()
		stop()
		lab.Result(map[string]interface{}{"variant": "switch", "round_trips": n, "switches": 2 * n, "elapsed_ns": elapsed,
			"ns_per_switch": float64(elapsed) / float64(2*n), "runtime": runtime.Version(), "gomaxprocs": runtime.GOMAXPROCS(0)})
		return
	}
	for _, variant := range variants {
		switch variant {
		case "pingpong":
			rounds, stop := pingPong()
			lab.Result(measure(variant, rounds, amount))
			stop()
		case "spawn-join":
			finished := 0
			result := measure(variant, func(n int) {
				for i := 0; i < n; i++ {
					done := make(chan struct{})
					go func() { finished++; close(done) }()
					<-done
				}
			}, amount)
			if finished < result["ops"].(int) {
				fmt.Fprintf(os.Stderr, "spawn-join: %d goroutines finished for %d\n", finished, result["ops"])
				os.Exit(1)
			}
			lab.Result(result)
		case "recursion":
			result := measure(variant, func(n int) {
				for i := 0; i < n; i++ {
					if down(depth) != depth {
						panic("recursion: wrong result")
					}
				}
			}, amount)
			result["depth"] = depth
			lab.Result(result)
		default:
			fmt.Fprintf(os.Stderr, "unknown variant %s\n", variant)
			os.Exit(2)
		}
	}
}
