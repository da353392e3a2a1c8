// tls-echo server (Go twin of baselines/tls-echo.ts): TLS echo, the certificate chosen by SNI in
// GetCertificate (the first name's for an unknown or missing name), a goroutine per connection.
// Usage: tls-echo <port> <host> <cert_dir> <names>; names: name1,name2; cert_dir holds <name>.key and <name>.crt.
package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"corojs-lab/baselines/go/internal/lab"
)

func main() {
	args := lab.Args("tls-echo", []string{"port", "host", "cert_dir", "names"})
	certDir := args["cert_dir"]
	names := strings.Split(args["names"], ",")
	certs := map[string]*tls.Certificate{}
	for _, name := range names {
		cert, err := tls.LoadX509KeyPair(filepath.Join(certDir, name+".crt"), filepath.Join(certDir, name+".key"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		certs[name] = &cert
	}
	config := &tls.Config{GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if cert, ok := certs[hello.ServerName]; ok {
			return cert, nil
		}
		return certs[names[0]], nil
	}}
	lab.Serve(tls.NewListener(lab.Listen(args), config), lab.Echo)
}
