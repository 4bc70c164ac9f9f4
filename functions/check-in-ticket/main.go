// Command check-in-ticket is the Lambda of the checkInTicket operation (POST /api/checkins).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CheckInTicket, os.Getenv) }
