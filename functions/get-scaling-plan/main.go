// Command get-scaling-plan is the Lambda of the getScalingPlan operation (GET /api/ops/scaling-plan).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetScalingPlan, os.Getenv) }
