// Command list-hold-recommendations is the Lambda of the listHoldRecommendations operation (GET /api/holds/{holdId}/recommendations).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListHoldRecommendations, os.Getenv) }
