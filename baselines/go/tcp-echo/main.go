// tcp-echo server (Go twin of baselines/tcp-echo.ts): a goroutine per connection echoes every byte back;
// prints "READY <port>". Usage: tcp-echo <port> <host>
package main

import (
	"fmt"
	"net"
	"os"

	"corojs-lab/baselines/go/internal/lab"
)

func main() {
	listener, err := net.Listen("tcp", net.JoinHostPort(lab.Arg(1, "127.0.0.1"), lab.Arg(0, "0")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lab.Ready(listener)
	lab.Serve(listener, lab.Echo)
}
