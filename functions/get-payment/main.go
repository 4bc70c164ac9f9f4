// Command get-payment is the Lambda of the getPayment operation (GET /api/orders/{orderId}/payments/{paymentId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetPayment, os.Getenv) }
