// Command notice-mailer e-mails buyers their notices: a Lambda on the
// table's DynamoDB Stream (orders and notices) and on the SES bounce and
// complaint topic (docs/adr/0613). It is not an API operation, so it lives
// here and not under functions/.
package main

import (
	"os"

	"bilhetagem/internal/app"
)

func main() { app.StartNoticeMailer(os.Getenv) }
