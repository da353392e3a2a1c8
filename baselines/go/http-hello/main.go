// http-hello server (Go twin of baselines/http-hello.ts): the same minimal HTTP/1.1 keep-alive parser on raw
// TCP (a request ends at a blank line; pipelined requests answered in order), a goroutine per connection.
// Usage: http-hello <port> <host>
package main

import (
	"bytes"
	"net"

	"corojs-lab/baselines/go/internal/lab"
)

var response = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world")
var blankLine = []byte("\r\n\r\n")

func serve(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 16<<10)
	var pending, replies []byte
	for {
		n, err := conn.Read(buf)
		pending = append(pending, buf[:n]...)
		replies = replies[:0]
		consumed := 0
		for {
			end := bytes.Index(pending[consumed:], blankLine)
			if end < 0 {
				break
			}
			consumed += end + len(blankLine)
			replies = append(replies, response...)
		}
		pending = append(pending[:0], pending[consumed:]...)
		if len(replies) > 0 {
			if _, werr := conn.Write(replies); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func main() {
	lab.Serve(lab.Listen(lab.Args("http-hello", []string{"port", "host"})), serve)
}
