// Command schedule-showtimes is the Lambda of the scheduleShowtimes operation (POST /api/admin/showtimes).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ScheduleShowtimes, os.Getenv) }
