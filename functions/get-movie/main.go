// Command get-movie is the Lambda of the getMovie operation (GET /api/movies/{movieId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.GetMovie, os.Getenv) }
