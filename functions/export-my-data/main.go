// Command export-my-data is the Lambda of the exportMyData operation (GET /api/me/data).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ExportMyData, os.Getenv) }
