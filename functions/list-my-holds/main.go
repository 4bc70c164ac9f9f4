// Command list-my-holds is the Lambda of the listMyHolds operation (GET /api/me/holds).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListMyHolds, os.Getenv) }
