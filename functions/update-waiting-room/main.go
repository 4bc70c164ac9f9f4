// Command update-waiting-room is the Lambda of the updateWaitingRoom operation (PUT /api/ops/waiting-room).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.UpdateWaitingRoom, os.Getenv) }
