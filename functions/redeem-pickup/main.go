// Command redeem-pickup is the Lambda of the redeemPickup operation (POST /api/pickups/{code}/redemptions).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.RedeemPickup, os.Getenv) }
