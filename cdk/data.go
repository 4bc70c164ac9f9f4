package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/dynamo"
)

// DataProps configure the Data construct.
type DataProps struct {
	// Schema is the one table definition (dynamo.Table).
	Schema dynamo.Schema
	// Retain keeps the table when the stack is deleted and turns on deletion
	// protection.
	Retain bool
}

// Data is the single DynamoDB table.
type Data struct {
	constructs.Construct
	Table awsdynamodb.Table
}

// NewData builds the table from the schema: every key a string, every index
// projecting all attributes (as Schema.CreateTableInput does for DynamoDB
// Local), on-demand billing, TTL, point-in-time recovery and encryption at
// rest with the AWS managed key, and a stream of new and old images (the
// notice mailer's trigger, cdk/noticemail.go). No table name:
// CloudFormation generates it and the functions get it as TABLE_NAME.
func NewData(scope constructs.Construct, id string, props DataProps) *Data {
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Schema
	removal := awscdk.RemovalPolicy_DESTROY
	if props.Retain {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	table := awsdynamodb.NewTable(c, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String(s.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
		SortKey:             &awsdynamodb.Attribute{Name: jsii.String(s.SortKey), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		TimeToLiveAttribute: jsii.String(s.TTLAttribute),
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		Encryption:         awsdynamodb.TableEncryption_AWS_MANAGED,
		DeletionProtection: jsii.Bool(props.Retain),
		RemovalPolicy:      removal,
		Stream:             awsdynamodb.StreamViewType(s.StreamView),
	})
	for _, ix := range s.Indexes {
		table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(ix.Name),
			PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(ix.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
			SortKey:        &awsdynamodb.Attribute{Name: jsii.String(ix.SortKey), Type: awsdynamodb.AttributeType_STRING},
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		})
	}
	return &Data{Construct: c, Table: table}
}
