// Command cancel-showtime is the Lambda of the cancelShowtime operation (POST /api/admin/showtimes/{showtimeId}/cancel).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CancelShowtime, os.Getenv) }
