// Command get-pickup is the Lambda of the getPickup operation (GET /api/pickups/{code}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetPickup, os.Getenv) }
