// Command override-scaling-plan is the Lambda of the overrideScalingPlan operation (PUT /api/ops/scaling-plan/overrides).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.OverrideScalingPlan, os.Getenv) }
