// Command create-order is the Lambda of the createOrder operation (POST /api/orders).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CreateOrder, os.Getenv) }
