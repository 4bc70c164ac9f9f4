// Command create-room is the Lambda of the createRoom operation (POST /api/admin/cinemas/{cinemaId}/rooms).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CreateRoom, os.Getenv) }
