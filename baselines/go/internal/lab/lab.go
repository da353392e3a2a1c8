// Package lab holds what the Go twins share with the Node twins' self-timing.ts: CPU seconds (own and a
// peer's), peak RSS, latencies rounded to 3 significant digits, K workers timed for a while, the canonical
// text of an answer, the RESULT line, and the echo loop of the two echo servers.
package lab

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func statCPUSeconds(path string) float64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	text := string(data)
	fields := strings.Fields(text[strings.LastIndex(text, ")")+2:])
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100 // clock ticks of 1/100 s
}

// CPUSeconds is this process's user+system CPU time.
func CPUSeconds() float64 { return statCPUSeconds("/proc/self/stat") }

// PeerCPUSeconds is another process's CPU time (0 for pid "0": no peer).
func PeerCPUSeconds(pid string) float64 {
	if n, _ := strconv.Atoi(pid); n > 0 {
		return statCPUSeconds(fmt.Sprintf("/proc/%d/stat", n))
	}
	return 0
}

// StatusBytes reads a kB field of /proc/self/status (VmRSS, VmHWM) in bytes.
func StatusBytes(field string) int64 {
	data, _ := os.ReadFile("/proc/self/status")
	match := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(data)
	if match == nil {
		return 0
	}
	kb, _ := strconv.ParseInt(string(match[1]), 10, 64)
	return kb * 1024
}

// Round3 rounds a latency to 3 significant digits, as the Node twins do.
func Round3(ns float64) float64 {
	p := math.Pow(10, math.Max(0, math.Floor(math.Log10(ns))-2))
	return math.Round(ns/p) * p
}

// TimedRun is what WorkersFor measured.
type TimedRun struct {
	Ops, Errors int64
	FirstError  string
	Counts      map[float64]int64 // latency (ns, 3 significant digits) -> operations
}

// WorkersFor runs `workers` goroutines looping on op(worker) for `seconds`, counting and (if record) timing each.
func WorkersFor(workers int, seconds float64, record bool, op func(worker int) error) TimedRun {
	deadline := time.Now().Add(time.Duration(seconds * 1e9))
	runs := make([]TimedRun, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			run := TimedRun{Counts: map[float64]int64{}}
			for time.Now().Before(deadline) {
				start := time.Now()
				if err := op(w); err != nil {
					run.Errors++
					if run.FirstError == "" {
						run.FirstError = err.Error()
					}
				} else {
					run.Ops++
				}
				if record {
					run.Counts[Round3(float64(time.Since(start).Nanoseconds()))]++
				}
			}
			runs[w] = run
		}(w)
	}
	wg.Wait()
	total := TimedRun{Counts: map[float64]int64{}}
	for _, r := range runs {
		total.Ops += r.Ops
		total.Errors += r.Errors
		if total.FirstError == "" {
			total.FirstError = r.FirstError
		}
		for ns, n := range r.Counts {
			total.Counts[ns] += n
		}
	}
	return total
}

// MeasureVariant is one variant of a self-timed program: `workers` goroutines loop on op for a fifth of
// `seconds` (warm-up), then for `seconds` timed, and the variant's RESULT line is printed; with a peer pid
// (dns: dnsmasq) its CPU over the timed window too.
func MeasureVariant(variant string, workers int, seconds float64, peer string, op func(worker int) error) {
	warm := WorkersFor(workers, seconds/5, false, op)
	cpu0, peer0 := CPUSeconds(), PeerCPUSeconds(peer)
	t0 := time.Now()
	run := WorkersFor(workers, seconds, true, op)
	elapsed := time.Since(t0).Seconds()
	fields := map[string]interface{}{"variant": variant, "ops": run.Ops, "errors": warm.Errors + run.Errors, "seconds": elapsed,
		"latency_ns": LatencyPairs(run.Counts), "cpu_pct": (CPUSeconds() - cpu0) / elapsed * 100, "rss_bytes": StatusBytes("VmHWM")}
	if peer != "" {
		fields["peer_cpu_pct"] = (PeerCPUSeconds(peer) - peer0) / elapsed * 100
	}
	firstError := warm.FirstError
	if firstError == "" {
		firstError = run.FirstError
	}
	if firstError != "" {
		fields["first_error"] = firstError
	}
	Result(fields)
}

// LatencyPairs turns the counts into the [[ns, count], ...] of the RESULT line.
func LatencyPairs(counts map[float64]int64) [][2]float64 {
	out := make([][2]float64, 0, len(counts))
	for ns, n := range counts {
		out = append(out, [2]float64{ns, float64(n)})
	}
	return out
}

// Canonical is JSON with object keys sorted and list entries sorted, so equal answers compare equal in any order.
func Canonical(value interface{}) string {
	var generic interface{}
	data, _ := json.Marshal(value)
	_ = json.Unmarshal(data, &generic)
	out, _ := json.Marshal(normalise(generic))
	return string(out)
}

func normalise(v interface{}) interface{} {
	switch t := v.(type) {
	case []interface{}:
		items := make([]string, len(t))
		for i, x := range t {
			b, _ := json.Marshal(normalise(x))
			items[i] = string(b)
		}
		sort.Strings(items)
		out := make([]interface{}, len(items))
		for i, s := range items {
			_ = json.Unmarshal([]byte(s), &out[i])
		}
		return out
	case map[string]interface{}:
		out := map[string]interface{}{} // encoding/json writes map keys sorted
		for k, x := range t {
			out[k] = normalise(x)
		}
		return out
	}
	return v
}

// Result prints a `RESULT {json}` line.
func Result(fields map[string]interface{}) {
	data, err := json.Marshal(fields)
	if err != nil {
		panic(err)
	}
	fmt.Println("RESULT " + string(data))
}

// Listen listens on the server's port and host arguments and prints the line the harness waits for; it exits
// with the error when it cannot.
func Listen(args map[string]string) net.Listener {
	listener, err := net.Listen("tcp", net.JoinHostPort(args["host"], args["port"]))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	Ready(listener)
	return listener
}

// Ready prints the line the harness waits for.
func Ready(listener net.Listener) {
	fmt.Printf("READY %d\n", listener.Addr().(*net.TCPAddr).Port)
}

// EchoBufferBytes is the echo loop's read buffer: io.Copy's size, one per connection for its lifetime.
const EchoBufferBytes = 32 << 10

// Echo writes back every byte read (a blocking write is the back-pressure), ending on error or EOF.
func Echo(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, EchoBufferBytes)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Serve accepts connections forever, each handled by its own goroutine.
func Serve(listener net.Listener, handle func(net.Conn)) {
	for {
		conn, err := listener.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue
			}
			fmt.Fprintln(os.Stderr, "accept:", err)
			os.Exit(1)
		}
		go handle(conn)
	}
}

// Args is the program's arguments by name (twin of workloads/program-args.mjs). The harness passes every one:
// their names, order and values are declared once, with the workload (harness/src/runners/<workload>.ts), so
// the twins keep no defaults, and a missing or extra argument is a usage error (stderr, exit status 2). Each
// form lists argument names; a name written "=word" is that literal word (e.g. "=switch").
func Args(program string, forms ...[]string) map[string]string {
	argv := os.Args[1:]
	literal := func(names []string) string {
		if len(names) > 0 && strings.HasPrefix(names[0], "=") {
			return names[0][1:]
		}
		return ""
	}
	var names []string
	for _, form := range forms {
		if l := literal(form); l != "" && len(argv) > 0 && argv[0] == l {
			names = form
			break
		}
	}
	for _, form := range forms {
		if names == nil && literal(form) == "" {
			names = form
		}
	}
	if names != nil && len(argv) == len(names) {
		args := map[string]string{}
		for i, name := range names {
			if !strings.HasPrefix(name, "=") {
				args[name] = argv[i]
			}
		}
		return args
	}
	usages := []string{}
	for _, form := range forms {
		words := []string{program}
		for _, name := range form {
			if strings.HasPrefix(name, "=") {
				words = append(words, name[1:])
			} else {
				words = append(words, "<"+name+">")
			}
		}
		usages = append(usages, strings.Join(words, " "))
	}
	problem := fmt.Sprintf("%d argument(s) too many", len(argv)-len(names))
	if names == nil {
		first := ""
		if len(argv) > 0 {
			first = argv[0]
		}
		problem = fmt.Sprintf("unknown form %q", first)
	} else if len(argv) < len(names) {
		problem = "missing <" + strings.Join(names[len(argv):], "> <") + ">"
	}
	fmt.Fprintf(os.Stderr, "%s: %s\nusage: %s\n(the harness passes these: harness/src/runners/ declares each workload's arguments)\n", program, problem, strings.Join(usages, "\n       "))
	os.Exit(2)
	return nil
}
