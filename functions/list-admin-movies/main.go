// Command list-admin-movies is the Lambda of the listAdminMovies operation (GET /api/admin/movies).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListAdminMovies, os.Getenv) }
