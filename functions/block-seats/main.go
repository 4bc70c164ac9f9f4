// Command block-seats is the Lambda of the blockSeats operation (POST /api/admin/showtimes/{showtimeId}/blocks).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.BlockSeats, os.Getenv) }
