// file-io (Go twin of baselines/file-io.ts): the same operations on the same files with K goroutines, the same
// warm-up, the same read checks (length and every 4 KiB block's stamp) and a fresh CHUNK-byte buffer for every
// read call. The same RESULT lines. Usage: file-io <dir> <variants> <seconds> <concurrency>
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"corojs-lab/baselines/go/internal/lab"
)

const chunkBytes = 1 << 20
const blockBytes = 4096

var sizes = map[string]int{"4KiB": 4096, "1MiB": 1 << 20, "64MiB": 64 << 20}

func dataChunk(offset, length int) []byte {
	data := bytes.Repeat([]byte{97}, length)
	for at := 0; at+4 <= length; at += blockBytes {
		binary.LittleEndian.PutUint32(data[at:], uint32((offset+at)/blockBytes))
	}
	return data
}

func wrongData(chunk []byte, offset int) error {
	for at := 0; at+4 <= len(chunk); at += blockBytes {
		if got := binary.LittleEndian.Uint32(chunk[at:]); got != uint32((offset+at)/blockBytes) {
			return fmt.Errorf("block %d read back as %d", (offset+at)/blockBytes, got)
		}
	}
	return nil
}

func readWhole(path string, size int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	offset := 0
	for {
		buf := make([]byte, chunkBytes)
		n, err := f.Read(buf)
		if n > 0 {
			if wrong := wrongData(buf[:n], offset); wrong != nil {
				return fmt.Errorf("%s: %v", path, wrong)
			}
			offset += n
		}
		if err == io.EOF || n == 0 {
			break
		}
		if err != nil {
			return err
		}
	}
	if offset != size {
		return fmt.Errorf("%s: read %d of %d bytes", path, offset, size)
	}
	return nil
}

func writeWhole(f *os.File, size int, chunk []byte) error {
	for done := 0; done < size; done += len(chunk) {
		piece := chunk
		if size-done < len(chunk) {
			piece = chunk[:size-done]
		}
		if _, err := f.Write(piece); err != nil {
			return err
		}
	}
	return nil
}

func operation(dir, kind string, size, worker int, chunk []byte) error {
	path := fmt.Sprintf("%s/%s-%d-%d", dir, kind, size, worker)
	switch kind {
	case "read":
		return readWhole(fmt.Sprintf("%s/data-%d", dir, size), size)
	case "write", "fsync":
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		err = writeWhole(f, size, chunk)
		if err == nil && kind == "fsync" {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	case "append":
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		_, err = f.Write(chunk[:size])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return fmt.Errorf("unknown operation %s", kind)
}

func main() {
	args := lab.Args("file-io", []string{"dir", "variants", "seconds", "concurrency"})
	dir := args["dir"]
	seconds, _ := strconv.ParseFloat(args["seconds"], 64)
	workers, _ := strconv.Atoi(args["concurrency"])
	for _, variant := range strings.Split(args["variants"], ",") {
		parts := strings.SplitN(variant, "-", 2)
		kind, size := parts[0], sizes[parts[1]]
		if size == 0 {
			fmt.Fprintf(os.Stderr, "unknown variant %s\n", variant)
			os.Exit(2)
		}
		chunkLen := size
		if chunkLen > chunkBytes {
			chunkLen = chunkBytes
		}
		chunk := bytes.Repeat([]byte{97}, chunkLen)
		if kind == "read" {
			f, err := os.Create(fmt.Sprintf("%s/data-%d", dir, size))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			for offset := 0; offset < size; offset += chunkBytes {
				length := size - offset
				if length > chunkBytes {
					length = chunkBytes
				}
				if _, err := f.Write(dataChunk(offset, length)); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			f.Close()
		}
		op := func(worker int) error { return operation(dir, kind, size, worker, chunk) }
		lab.MeasureVariant(variant, workers, seconds, "", op)
	}
}
