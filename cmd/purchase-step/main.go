// Command purchase-step is the purchase workflow's step worker Lambda: the
// state machine built from internal/workflow/purchase.asl.json invokes it
// with {"step", "orderId"} for every task. It is not an API operation, so it
// lives here and not under functions/.
package main

import (
	"os"

	"bilhetagem/internal/app"
)

func main() { app.StartPurchaseStep(os.Getenv) }
