// Command reconcile is the payment reconciliation (docs/adr/0701): a Lambda
// the stack runs daily, and on demand when an operator invokes it, that
// compares the provider's money with the orders and logs every mismatch.
// With -local (make reconcile) it runs once against a local table and
// prints the summary. It is not an API operation, so it lives here and not
// under functions/.
package main

import (
	"flag"
	"os"

	"bilhetagem/internal/app"
)

func main() {
	local := flag.Bool("local", false, "run once against a local table and print the summary (make reconcile), instead of serving as a Lambda")
	endpoint := flag.String("dynamodb-endpoint", "", "the local table's DynamoDB endpoint (default $DYNAMODB_ENDPOINT; when neither is set, DynamoDB Local is started on -data)")
	data := flag.String("data", ".data/dynamodb", "DynamoDB Local data folder, as make run's")
	table := flag.String("table", "bilhetagem", "table name (default $TABLE_NAME, else bilhetagem, as make run's)")
	flag.Parse()
	if !*local {
		app.StartReconciler(os.Getenv)
		return
	}
	os.Exit(runLocal(localOptions{endpoint: *endpoint, data: *data, table: *table, getenv: os.Getenv, out: os.Stdout}))
}
