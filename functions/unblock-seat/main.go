// Command unblock-seat is the Lambda of the unblockSeat operation (DELETE /api/admin/showtimes/{showtimeId}/blocks/{seatId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.UnblockSeat, os.Getenv) }
