// Command list-ticket-types is the Lambda of the listTicketTypes operation (GET /api/showtimes/{showtimeId}/ticket-types).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListTicketTypes, os.Getenv) }
