package dynamo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/smithy-go"
	"github.com/guregu/dynamo/v2"

	"bilhetagem/internal/catalog"
	"bilhetagem/internal/errs"
)

// Config says which table to use and where it is.
type Config struct {
	Table string
	// Endpoint overrides the AWS endpoint (DynamoDB Local); empty in AWS.
	Endpoint string
	Region   string
	// MaxAttempts bounds the SDK's retries (default 3).
	MaxAttempts int
	// Timeout bounds each HTTP attempt (default 3 s).
	Timeout time.Duration
	// DialTimeout bounds opening a connection (default 1 s).
	DialTimeout time.Duration
}

// Store is the single-table store.
type Store struct {
	client *dynamodb.Client
	// streams reads the table's stream (the local mailer follows it).
	streams *dynamodbstreams.Client
	db      *dynamo.DB
	table   dynamo.Table
	name    string
}

// Open builds the client once. Against a local endpoint it uses static dummy
// credentials, since DynamoDB Local accepts any.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Table == "" {
		return nil, errors.New("open store: no table name")
	}
	if cfg.Region == "" {
		cfg.Region = "sa-east-1"
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = time.Second
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(cfg.Region),
		config.WithRetryMaxAttempts(cfg.MaxAttempts),
		config.WithHTTPClient(awshttp.NewBuildableClient().
			WithTimeout(cfg.Timeout).
			WithDialerOptions(func(d *net.Dialer) { d.Timeout = cfg.DialTimeout }).
			WithTransportOptions(func(t *http.Transport) { t.MaxIdleConnsPerHost = 256 })),
	}
	if cfg.Endpoint != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	client := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
			o.DisableValidateResponseChecksum = true
		}
	})
	streams := dynamodbstreams.NewFromConfig(awsCfg, func(o *dynamodbstreams.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	db := dynamo.NewFromIface(client)
	return &Store{client: client, streams: streams, db: db, table: db.Table(cfg.Table), name: cfg.Table}, nil
}

// TableName is the table the store uses.
func (s *Store) TableName() string { return s.name }

// CreateTable creates the table from the schema, waits for it and turns TTL
// on. It is for DynamoDB Local and tests; in AWS the CDK creates the table.
// A table that already exists is left as it is.
func (s *Store) CreateTable(ctx context.Context) error {
	_, err := s.client.CreateTable(ctx, Table.CreateTableInput(s.name))
	var inUse *types.ResourceInUseException
	if errors.As(err, &inUse) {
		return nil
	}
	if err != nil {
		return translate("create table", err)
	}
	if err := s.table.Wait(ctx, dynamo.ActiveStatus); err != nil {
		return translate("create table", err)
	}
	_, err = s.client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(s.name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(Table.TTLAttribute), Enabled: aws.Bool(true),
		},
	})
	return translate("enable ttl", err)
}

// EnableStream turns the schema's stream on, for DynamoDB Local and tests
// (the CDK's table has it): only the writes made after it are on the
// stream. A table that has it already is left as it is.
func (s *Store) EnableStream(ctx context.Context) error {
	desc, err := s.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.name)})
	if err != nil {
		return translate("describe table", err)
	}
	if spec := desc.Table.StreamSpecification; spec != nil && aws.ToBool(spec.StreamEnabled) {
		return nil
	}
	_, err = s.client.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String(s.name),
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: Table.StreamView}})
	if err != nil {
		return translate("enable stream", err)
	}
	return translate("enable stream", s.table.Wait(ctx, dynamo.ActiveStatus))
}

// DeleteTable removes the table; tests use it to clean up.
func (s *Store) DeleteTable(ctx context.Context) error {
	return translate("delete table", s.table.DeleteTable().Run(ctx))
}

// Ping checks that the table answers.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.name)})
	return translate("ping", err)
}

// translate turns driver errors into errs values: anything that says the
// store cannot be reached or is overloaded becomes Unavailable (503 with
// Retry-After); everything else stays internal.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, dynamo.ErrNotFound) {
		return errs.Wrap(errs.NotFound, "not_found", "not found", fmt.Errorf("%s: %w", op, err))
	}
	if unavailable(err) {
		return errs.Wrap(errs.Unavailable, "service_unavailable",
			"o serviço está temporariamente indisponível; tente novamente em instantes", fmt.Errorf("%s: %w", op, err))
	}
	return fmt.Errorf("%s: %w", op, err)
}

func unavailable(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var maxAttempts *retry.MaxAttemptsError
	if errors.As(err, &maxAttempts) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var notFound *types.ResourceNotFoundException
	if errors.As(err, &notFound) {
		return true // the table is missing: an outage, not a client error
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
			"InternalServerError", "ServiceUnavailable", "LimitExceededException":
			return true
		}
	}
	return false
}

// Compile-time check that the store serves the catalog.
var _ catalog.Store = (*Store)(nil)

// Client is the SDK client, for transactions that span several stores'
// writes (the purchase adds the attach counters to the order's transaction).
func (s *Store) Client() *dynamodb.Client { return s.client }
