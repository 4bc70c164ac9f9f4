// Command list-release-classifications is the Lambda of the listReleaseClassifications operation (GET /api/ops/releases).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListReleaseClassifications, os.Getenv) }
