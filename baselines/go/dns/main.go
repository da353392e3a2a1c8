// dns (Go twin of baselines/dns.ts): K goroutines resolve against one DNS server with a net.Resolver (Go's own
// resolver, dialing the harness's dnsmasq), every answer compared exactly with the configured records in the
// shape Node's resolver gives, the same warm-up (a fifth of the time) and the same RESULT lines.
// Usage: dns <server> <queries> <seconds> <concurrency> <expected> <peer_pid> (as workloads/dns.mjs)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"corojs-lab/baselines/go/internal/lab"
)

var resolver *net.Resolver

func trimDot(name string) string { return strings.TrimSuffix(name, ".") }

// resolve answers in the shape of Node's resolver.resolve(name, type).
func resolve(ctx context.Context, kind, name string) (interface{}, error) {
	out := []interface{}{}
	switch kind {
	case "A", "AAAA":
		network := map[string]string{"A": "ip4", "AAAA": "ip6"}[kind]
		ips, err := resolver.LookupIP(ctx, network, name)
		for _, ip := range ips {
			out = append(out, ip.String())
		}
		return out, err
	case "MX":
		mxs, err := resolver.LookupMX(ctx, name)
		for _, mx := range mxs {
			out = append(out, map[string]interface{}{"exchange": trimDot(mx.Host), "priority": mx.Pref})
		}
		return out, err
	case "TXT":
		// Go joins a record's character strings; each record here is one string (Node: one chunk per record).
		txts, err := resolver.LookupTXT(ctx, name)
		for _, txt := range txts {
			out = append(out, []interface{}{txt})
		}
		return out, err
	case "SRV":
		_, srvs, err := resolver.LookupSRV(ctx, "", "", name)
		for _, srv := range srvs {
			out = append(out, map[string]interface{}{"name": trimDot(srv.Target), "port": srv.Port, "priority": srv.Priority, "weight": srv.Weight})
		}
		return out, err
	}
	return nil, fmt.Errorf("unknown type %s", kind)
}

func main() {
	args := lab.Args("dns", []string{"server", "queries", "seconds", "concurrency", "expected", "peer_pid"})
	server := args["server"]
	seconds, _ := strconv.ParseFloat(args["seconds"], 64)
	workers, _ := strconv.Atoi(args["concurrency"])
	expected := map[string]interface{}{}
	if err := json.Unmarshal([]byte(args["expected"]), &expected); err != nil {
		fmt.Fprintln(os.Stderr, "expected answers:", err)
		os.Exit(2)
	}
	peer := args["peer_pid"]
	resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var dialer net.Dialer
		return dialer.DialContext(ctx, network, server)
	}}
	for _, query := range strings.Split(args["queries"], ",") {
		parts := strings.SplitN(query, ":", 2)
		kind, name := parts[0], parts[1]
		want := lab.Canonical(expected[kind])
		op := func(int) error {
			got, err := resolve(context.Background(), kind, name)
			if err != nil {
				return err
			}
			if c := lab.Canonical(got); c != want {
				return fmt.Errorf("wrong %s answer for %s: %s, expected %s", kind, name, c, want)
			}
			return nil
		}
		lab.MeasureVariant(kind, workers, seconds, peer, op)
	}
}
