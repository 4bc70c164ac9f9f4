// Command order-sweeper is the purchase workflow's safety net, a Lambda the
// stack runs every minute: it settles the orders still unsettled after
// their hold expired (internal/orders.Sweeper). It is not an API operation,
// so it lives here and not under functions/.
package main

import (
	"os"

	"bilhetagem/internal/app"
)

func main() { app.StartOrderSweeper(os.Getenv) }
