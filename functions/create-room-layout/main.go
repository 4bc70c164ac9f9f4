// Command create-room-layout is the Lambda of the createRoomLayout operation (POST /api/admin/cinemas/{cinemaId}/rooms/{roomId}/layouts).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CreateRoomLayout, os.Getenv) }
