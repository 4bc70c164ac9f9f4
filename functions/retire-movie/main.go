// Command retire-movie is the Lambda of the retireMovie operation (POST /api/admin/movies/{movieId}/retire).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.RetireMovie, os.Getenv) }
