package app

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	sdksfn "github.com/aws/aws-sdk-go-v2/service/sfn"
)

// awsConfig is the SDK configuration of a function in AWS: region and
// credentials from the Lambda environment. Loading it reads no network.
func awsConfig() (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		return aws.Config{}, fmt.Errorf("aws config: %w", err)
	}
	return cfg, nil
}

// stepFunctionsClient is the Step Functions client the purchase workflow
// starts and answers executions with, built once at init.
func stepFunctionsClient() (*sdksfn.Client, error) {
	cfg, err := awsConfig()
	if err != nil {
		return nil, err
	}
	return sdksfn.NewFromConfig(cfg), nil
}
