// Command get-schedule is the Lambda of the getSchedule operation (GET /api/admin/cinemas/{cinemaId}/schedule).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetSchedule, os.Getenv) }
