// Command reschedule-showtime is the Lambda of the rescheduleShowtime operation (POST /api/admin/showtimes/{showtimeId}/reschedule).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.RescheduleShowtime, os.Getenv) }
