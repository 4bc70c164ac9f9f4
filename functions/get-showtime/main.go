// Command get-showtime is the Lambda of the getShowtime operation (GET /api/showtimes/{showtimeId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetShowtime, os.Getenv) }
