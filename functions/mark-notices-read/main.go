// Command mark-notices-read is the Lambda of the markNoticesRead operation (POST /api/me/notices/read).
package main

import (
	"os"

	"bilhetagem/internal/app"
	"bilhetagem/internal/operations"
)

func main() { app.StartLambda(operations.MarkNoticesRead, os.Getenv) }
