// Command cancel-order is the Lambda of the cancelOrder operation (POST /api/orders/{orderId}/cancel).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CancelOrder, os.Getenv) }
