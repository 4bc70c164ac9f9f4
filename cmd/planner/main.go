// Command planner is the scaling planner Lambda: an EventBridge schedule
// invokes it every 15 minutes to apply the scaling plan (provisioned
// concurrency through Application Auto Scaling, the waiting room on or
// off). It is not an API operation, so it lives here and not under
// functions/. `make plan-scaling` prints the same plan as a dry run.
package main

import (
	"os"

	"bilhetagem/internal/app"
)

func main() { app.StartPlanner(os.Getenv) }
