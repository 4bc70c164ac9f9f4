// Command delete-my-account is the Lambda of the deleteMyAccount operation (DELETE /api/me).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.DeleteMyAccount, os.Getenv) }
