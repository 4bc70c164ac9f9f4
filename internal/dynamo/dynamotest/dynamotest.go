// Package dynamotest is the one test harness for the store: it runs a real
// DynamoDB Local in memory for a test binary and gives each test a fresh
// table created from the one schema. When DynamoDB Local cannot start, the
// tests fail; they never skip.
package dynamotest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/dynamo/dynamolocal"
)

var (
	endpoint string
	startErr error
	seq      atomic.Int64
)

// JVMArgs tune the test binary's DynamoDB Local for a short life on a busy
// machine: the JIT stops at C1, whose compiles cost a fraction of C2's in a
// JVM that lives a few minutes; the serial collector adds no GC threads to
// fight the tests for two cores; the heap is bounded (the JVM would take a
// quarter of the RAM), as the data live in SQLite outside it. Measured in
// docs/benchmarks.md ("Tests on a loaded machine").
var JVMArgs = []string{"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m"}

// Main starts DynamoDB Local, runs the package's tests and stops it. Call it
// from TestMain: func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }.
func Main(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	in, err := dynamolocal.Start(ctx, dynamolocal.Options{JVMArgs: JVMArgs})
	cancel()
	if err != nil {
		// Every test that asks for a table will fail with this reason.
		startErr = err
		fmt.Fprintln(os.Stderr, "dynamotest: DynamoDB Local did not start:", err)
		return m.Run()
	}
	defer in.Stop()
	endpoint = in.Endpoint
	return m.Run()
}

// Endpoint is the running DynamoDB Local, failing the test if there is none.
func Endpoint(t testing.TB) string {
	t.Helper()
	if startErr != nil {
		t.Fatalf("DynamoDB Local is required and did not start: %v", startErr)
	}
	if endpoint == "" {
		t.Fatal("dynamotest.Main was not called from TestMain")
	}
	return endpoint
}

// NewStore creates a fresh table from the schema and returns a store on it;
// the table is deleted when the test ends.
func NewStore(t testing.TB) *dynamo.Store {
	t.Helper()
	store, err := NewTable(Endpoint(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.DeleteTable(context.Background()); err != nil {
			t.Errorf("delete table %s: %v", store.TableName(), err)
		}
	})
	return store
}

// NewTable creates a fresh table from the schema on the endpoint, for a
// table shared by several tests; it lives as long as DynamoDB Local.
func NewTable(endpoint string) (*dynamo.Store, error) {
	ctx := context.Background()
	name := fmt.Sprintf("test-%d-%d", os.Getpid(), seq.Add(1))
	// DynamoDB Local serializes transactions in one JVM; under the
	// contention tests hundreds of requests queue, so an attempt may wait
	// far longer than in AWS. Timeouts here are not what is tested.
	store, err := dynamo.Open(ctx, dynamo.Config{Table: name, Endpoint: endpoint,
		Timeout: time.Minute, DialTimeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := store.CreateTable(ctx); err != nil {
		return nil, fmt.Errorf("create table %s: %w", name, err)
	}
	return store, nil
}
