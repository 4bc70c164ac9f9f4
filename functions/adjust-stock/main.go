// Command adjust-stock is the Lambda of the adjustStock operation (PATCH /api/admin/cinemas/{cinemaId}/stock).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.AdjustStock, os.Getenv) }
