// Command get-me is the Lambda of the getMe operation (GET /api/me).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetMe, os.Getenv) }
