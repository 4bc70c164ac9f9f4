// Command enter-waiting-room is the Lambda of the enterWaitingRoom operation (POST /api/waiting-room/entries).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.EnterWaitingRoom, os.Getenv) }
