// Command list-my-tickets is the Lambda of the listMyTickets operation (GET /api/me/tickets).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListMyTickets, os.Getenv) }
