// Command get-hold is the Lambda of the getHold operation (GET /api/holds/{holdId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetHold, os.Getenv) }
