// Command get-sales-report is the Lambda of the getSalesReport operation (GET /api/admin/reports/sales).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetSalesReport, os.Getenv) }
