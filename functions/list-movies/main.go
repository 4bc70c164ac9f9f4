// Command list-movies is the Lambda of the listMovies operation (GET /api/movies).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.ListMovies, os.Getenv) }
