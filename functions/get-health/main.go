// Command get-health is the Lambda of the getHealth operation (GET /api/health).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetHealth, os.Getenv) }
