// Command list-my-orders is the Lambda of the listMyOrders operation (GET /api/me/orders).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListMyOrders, os.Getenv) }
