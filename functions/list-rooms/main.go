// Command list-rooms is the Lambda of the listRooms operation (GET /api/admin/cinemas/{cinemaId}/rooms).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListRooms, os.Getenv) }
