// Command list-my-notices is the Lambda of the listMyNotices operation (GET /api/me/notices).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListMyNotices, os.Getenv) }
