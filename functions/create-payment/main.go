// Command create-payment is the Lambda of the createPayment operation (POST /api/orders/{orderId}/payments).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CreatePayment, os.Getenv) }
