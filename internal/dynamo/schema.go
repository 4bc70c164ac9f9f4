// Package dynamo is the single-table store on DynamoDB, through
// github.com/guregu/dynamo/v2. It owns the table schema, the key builders
// and the item shapes, and it translates driver errors into errs values.
package dynamo

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Index is a global secondary index of the table.
type Index struct {
	Name         string
	PartitionKey string
	SortKey      string
}

// Schema is the one definition of the table: the store, the local table
// creation, the tests and the CDK stack all read it.
type Schema struct {
	PartitionKey string
	SortKey      string
	Indexes      []Index
	// TTLAttribute holds an epoch-seconds expiry. DynamoDB deletes expired
	// items up to about two days late, so the store compares expiry itself
	// and TTL only cleans up.
	TTLAttribute string
	// StreamView is what the table's stream carries of each write; the
	// notice mailer follows it (docs/adr/0613). The CDK's table has it; a
	// local one once Store.EnableStream is called.
	StreamView types.StreamViewType
}

// Table is the schema of the bilhetagem table.
var Table = Schema{
	PartitionKey: "PK",
	SortKey:      "SK",
	Indexes: []Index{
		{Name: "GSI1", PartitionKey: "GSI1PK", SortKey: "GSI1SK"},
		{Name: "GSI2", PartitionKey: "GSI2PK", SortKey: "GSI2SK"},
	},
	TTLAttribute: "ttl",
	StreamView:   types.StreamViewTypeNewAndOldImages,
}

// Index names, for queries.
const (
	gsi1 = "GSI1"
	gsi2 = "GSI2"
)

// CreateTableInput is the CreateTable request for the schema: on-demand
// billing, every key a string, every index projecting all attributes.
func (s Schema) CreateTableInput(name string) *dynamodb.CreateTableInput {
	attrs := []types.AttributeDefinition{
		{AttributeName: aws.String(s.PartitionKey), AttributeType: types.ScalarAttributeTypeS},
		{AttributeName: aws.String(s.SortKey), AttributeType: types.ScalarAttributeTypeS},
	}
	var gsis []types.GlobalSecondaryIndex
	for _, ix := range s.Indexes {
		attrs = append(attrs,
			types.AttributeDefinition{AttributeName: aws.String(ix.PartitionKey), AttributeType: types.ScalarAttributeTypeS},
			types.AttributeDefinition{AttributeName: aws.String(ix.SortKey), AttributeType: types.ScalarAttributeTypeS},
		)
		gsis = append(gsis, types.GlobalSecondaryIndex{
			IndexName: aws.String(ix.Name),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(ix.PartitionKey), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(ix.SortKey), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		})
	}
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: attrs,
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(s.PartitionKey), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(s.SortKey), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: gsis,
		// No stream: a local table gets one from Store.EnableStream where a
		// reader follows it (make run, the e-mail tests), so the tests'
		// other tables, the contention tests' included, pay nothing for it.
	}
}
