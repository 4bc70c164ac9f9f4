// Command list-showtimes is the Lambda of the listShowtimes operation (GET /api/showtimes).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListShowtimes, os.Getenv) }
