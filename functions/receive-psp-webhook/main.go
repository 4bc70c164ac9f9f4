// Command receive-psp-webhook is the Lambda of the receivePspWebhook operation (POST /api/webhooks/psp).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ReceivePspWebhook, os.Getenv) }
