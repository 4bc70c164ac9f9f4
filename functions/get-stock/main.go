// Command get-stock is the Lambda of the getStock operation (GET /api/admin/cinemas/{cinemaId}/stock).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetStock, os.Getenv) }
