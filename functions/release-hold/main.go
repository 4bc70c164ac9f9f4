// Command release-hold is the Lambda of the releaseHold operation (DELETE /api/holds/{holdId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ReleaseHold, os.Getenv) }
