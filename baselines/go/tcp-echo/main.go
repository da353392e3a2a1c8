// tcp-echo server (Go twin of baselines/tcp-echo.ts): a goroutine per connection echoes every byte back;
// prints "READY <port>". Usage: tcp-echo <port> <host>
package main

import "corojs-lab/baselines/go/internal/lab"

func main() {
	lab.Serve(lab.Listen(lab.Args("tcp-echo", []string{"port", "host"})), lab.Echo)
}
