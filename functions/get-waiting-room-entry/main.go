// Command get-waiting-room-entry is the Lambda of the getWaitingRoomEntry operation (GET /api/waiting-room/entries/{entryId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetWaitingRoomEntry, os.Getenv) }
