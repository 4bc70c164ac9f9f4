// Command seed fills a table with the São Paulo chain of seed/data: cinemas,
// rooms, movies, 14 days of showtimes from today (or from -day), prices and
// the menu. It creates only what is missing, so running it twice changes
// nothing.
//
//	TABLE_NAME=bilhetagem DYNAMODB_ENDPOINT=http://127.0.0.1:8000 go run ./seed/cmd/seed -create-table [-day 2026-12-03]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/dynamo"
	"bilhetagem/seed"
)

func main() {
	createTable := flag.Bool("create-table", false, "create the table from the schema first (DynamoDB Local)")
	dayFlag := flag.String("day", "", "São Paulo day the showtimes start on, YYYY-MM-DD (default: today in São Paulo)")
	flag.Parse()
	day := catalog.DateOf(time.Now())
	if *dayFlag != "" {
		d, err := catalog.ParseDate(*dayFlag)
		if err != nil {
			fmt.Fprintln(os.Stderr, "seed: -day:", err)
			os.Exit(2)
		}
		day = d
	}
	table, endpoint := os.Getenv("TABLE_NAME"), os.Getenv("DYNAMODB_ENDPOINT")
	if table == "" {
		fmt.Fprintln(os.Stderr, "seed: TABLE_NAME is required")
		os.Exit(2)
	}
	ctx := context.Background()
	store, err := dynamo.Open(ctx, dynamo.Config{Table: table, Endpoint: endpoint, Region: os.Getenv("AWS_REGION")})
	if err == nil && *createTable {
		err = store.CreateTable(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
	n, err := seed.Apply(ctx, store, day)
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
	fmt.Printf("seed: %d items created in %s\n", n, table)
}
