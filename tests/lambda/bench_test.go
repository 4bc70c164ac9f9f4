package lambda_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"bilhetagem/internal/operations"
)

// BenchmarkColdStart starts each function under the emulator b.N times and
// invokes it once per start (cold: process start, init, first request), then
// once more (warm), beside a hello-world Go Lambda built the same way:
//
//	make bench-lambda
//
// It reports the binary size and the cold and warm round trips; the gap
// between the function's cold-ms and hello's is what our init costs (the
// spec parse, the validator, the SDK client).
func BenchmarkColdStart(b *testing.B) {
	rie := rieBinary(b)
	binDir := b.TempDir()
	buildBootstraps(b, binDir, "./functions/...", "./tests/lambda/testdata/hello")
	endpoint, table := seededTable(b)

	type target struct {
		name string
		op   operations.Operation
	}
	targets := []target{{name: "hello"}}
	for _, op := range operations.All {
		targets = append(targets, target{name: op.Function(), op: op})
	}
	for _, tg := range targets {
		b.Run(tg.name, func(b *testing.B) {
			bootstrap := filepath.Join(binDir, tg.name)
			st, err := os.Stat(bootstrap)
			if err != nil {
				b.Fatal(err)
			}
			var ev any = map[string]any{"version": "2.0", "rawPath": "/", "requestContext": map[string]any{"http": map[string]any{"method": "GET"}}}
			env := map[string]string{"AWS_REGION": "sa-east-1"}
			if tg.name != "hello" {
				ev = readEvent(b, tg.op)
				env = functionEnv(tg.op, endpoint, table)
			}
			var cold, warm time.Duration
			b.ResetTimer()
			for range b.N {
				em := startEmulator(b, rie, bootstrap, env)
				_, c := em.invoke(b, ev)
				_, w := em.invoke(b, ev)
				cold += c
				warm += w
			}
			b.ReportMetric(float64(st.Size())/1e6, "MB")
			b.ReportMetric(ms(cold)/float64(b.N), "cold-ms")
			b.ReportMetric(ms(warm)/float64(b.N), "warm-ms")
		})
	}
}
