// Command receive-stripe-webhook is the Lambda of the receiveStripeWebhook operation (POST /api/webhooks/stripe).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ReceiveStripeWebhook, os.Getenv) }
