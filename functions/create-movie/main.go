// Command create-movie is the Lambda of the createMovie operation (POST /api/admin/movies).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.CreateMovie, os.Getenv) }
