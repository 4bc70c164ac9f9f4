// Command get-order is the Lambda of the getOrder operation (GET /api/orders/{orderId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetOrder, os.Getenv) }
