// Command update-movie is the Lambda of the updateMovie operation (PUT /api/admin/movies/{movieId}).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.UpdateMovie, os.Getenv) }
