// Command list-admin-products is the Lambda of the listAdminProducts operation (GET /api/admin/concessions).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListAdminProducts, os.Getenv) }
