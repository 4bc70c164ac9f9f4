// Command put-price-table is the Lambda of the putPriceTable operation (PUT /api/admin/cinemas/{cinemaId}/prices).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.PutPriceTable, os.Getenv) }
