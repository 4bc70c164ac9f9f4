// Command get-price-table is the Lambda of the getPriceTable operation (GET /api/admin/cinemas/{cinemaId}/prices).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetPriceTable, os.Getenv) }
