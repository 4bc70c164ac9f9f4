// Command create-hold is the Lambda of the createHold operation (POST /api/holds).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CreateHold, os.Getenv) }
