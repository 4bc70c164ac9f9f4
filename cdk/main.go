// Command cdk is bilhetagem's AWS CDK app: one stack per environment, built
// from the operations registry (internal/operations) and the table schema
// (internal/dynamo), checked by cdk-nag's AwsSolutions rules.
//
//	make synth                  # dev, offline, into cdk.out
//	make synth CDK_ENV=prod GOOGLE_CLIENT_ID=<id>
//
// cdk.json runs it as `go run ./cdk`; it never looks anything up in an AWS
// account at synth time.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
)

// functionsDir is where `make build` puts every bootstrap, relative to the
// repository root (the CDK CLI runs the app from there).
const functionsDir = "bin/functions"

// workerDir is where `make build` puts the purchase workflow's step worker.
const workerDir = "bin/workers/" + PurchaseStepWorker

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	settings, err := settingsFromContext(func(k string) any { return app.Node().TryGetContext(jsii.String(k)) })
	if err == nil {
		err = CheckFunctionsDir(functionsDir, operations.All)
	}
	if err == nil {
		err = CheckWorkerDir(workerDir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cdk:", err)
		os.Exit(1)
	}
	NewStack(app, StackName(settings.Env), StackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{
			Region: jsii.String(settings.Region),
			// Set by the CDK CLI from the credentials in use; empty offline,
			// which leaves the stack account-agnostic (nothing is looked up).
			Account: optional(os.Getenv("CDK_DEFAULT_ACCOUNT")),
		}},
		Settings:     settings,
		Operations:   operations.All,
		Schema:       dynamo.Table,
		FunctionsDir: functionsDir,
		WorkerDir:    workerDir,
	})
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	app.Synth(nil)
}

// StackName is the stack of an environment: Bilhetagem-dev, Bilhetagem-prod.
func StackName(env string) string { return "Bilhetagem-" + env }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
