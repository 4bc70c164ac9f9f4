// Command put-product is the Lambda of the putProduct operation (PUT /api/admin/concessions/{productId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.PutProduct, os.Getenv) }
