// Command get-concessions-menu is the Lambda of the getConcessionsMenu operation (GET /api/concessions).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetConcessionsMenu, os.Getenv) }
