// Command get-waiting-room is the Lambda of the getWaitingRoom operation (GET /api/ops/waiting-room).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetWaitingRoom, os.Getenv) }
