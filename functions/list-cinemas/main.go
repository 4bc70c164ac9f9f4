// Command list-cinemas is the Lambda of the listCinemas operation (GET /api/cinemas).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListCinemas, os.Getenv) }
