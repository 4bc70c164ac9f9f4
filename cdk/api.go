package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"bilhetagem/internal/operations"
)

// APIPrefix is where the API lives: the spec's server URL, and the path
// CloudFront sends to the HTTP API.
const APIPrefix = "/api"

// ApiProps configure the Api construct.
type ApiProps struct {
	// Operations is the registry (operations.All).
	Operations []operations.Operation
	// FunctionsDir holds <function>/bootstrap for every operation, built by
	// `make build` (linux/arm64, -tags lambda.norpc).
	FunctionsDir string
	Table        awsdynamodb.ITable
	// Indexes are the table's GSI names (from the schema), the only indexes
	// the functions may query.
	Indexes  []string
	Settings Settings
	// HotOperations get a published alias, LiveAlias, that their route
	// invokes, so that provisioned concurrency has a target (cdk/scaling.go).
	HotOperations []string
}

// LiveAlias is the alias of a hot operation's function the route invokes.
const LiveAlias = "live"

// Function is one operation's Lambda.
type Function struct {
	Op    operations.Operation
	Fn    awslambda.Function
	Route awsapigatewayv2.HttpRoute
	// Alias is the hot operations' LiveAlias on the current version; nil
	// for the others, whose route invokes the function itself.
	Alias awslambda.Alias
}

// Api is the HTTP API with one Lambda function per operation.
type Api struct {
	constructs.Construct
	HttpApi   awsapigatewayv2.HttpApi
	Stage     awsapigatewayv2.HttpStage
	Functions []Function
	// Domain is the API's execute-api host name, CloudFront's /api/* origin.
	Domain *string
}

// CheckFunctionsDir reports the operations whose bootstrap is missing, so a
// synth before `make build` fails with a useful message instead of an asset
// error.
func CheckFunctionsDir(dir string, ops []operations.Operation) error {
	var missing []string
	for _, op := range ops {
		if _, err := os.Stat(filepath.Join(dir, op.Function(), "bootstrap")); err != nil {
			missing = append(missing, op.Function())
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no bootstrap in %s for %s: run `make build` first", dir, strings.Join(missing, ", "))
	}
	return nil
}

// NewApi builds, for every operation of the registry, a function, its grant
// on the table and its route; the JWT authorizer guards the Buyer and Staff
// routes (the staff group itself is checked in the function, see
// docs/adr/0102). The default stage is throttled and writes JSON access logs.
func NewApi(scope constructs.Construct, id string, props ApiProps) *Api {
	c := constructs.NewConstruct(scope, jsii.String(id))
	s := props.Settings
	removal := awscdk.RemovalPolicy_DESTROY
	if s.Retain() {
		removal = awscdk.RemovalPolicy_RETAIN
	}
	retention := retentionDays(s.LogRetentionDays)

	var cors *awsapigatewayv2.CorsPreflightOptions
	if len(s.CorsOrigins) > 0 {
		cors = &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins: jsii.Strings(s.CorsOrigins...),
			AllowMethods: &[]awsapigatewayv2.CorsHttpMethod{
				awsapigatewayv2.CorsHttpMethod_GET, awsapigatewayv2.CorsHttpMethod_POST,
				awsapigatewayv2.CorsHttpMethod_PUT, awsapigatewayv2.CorsHttpMethod_PATCH, awsapigatewayv2.CorsHttpMethod_DELETE,
			},
			AllowHeaders:  jsii.Strings("authorization", "content-type", "idempotency-key"),
			ExposeHeaders: jsii.Strings("location", "retry-after"),
			MaxAge:        awscdk.Duration_Hours(jsii.Number(1)),
		}
	}
	api := awsapigatewayv2.NewHttpApi(c, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		Description:        jsii.String("bilhetagem " + s.Env + ": one route and one Lambda per operation of openapi/openapi.yaml"),
		CreateDefaultStage: jsii.Bool(false),
		CorsPreflight:      cors,
	})

	accessLogs := awslogs.NewLogGroup(c, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: removal,
	})
	stage := awsapigatewayv2.NewHttpStage(c, jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:    api,
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(s.ThrottleRate),
			BurstLimit: jsii.Number(s.ThrottleBurst),
		},
	})
	stage.Node().DefaultChild().(awsapigatewayv2.CfnStage).SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: accessLogs.LogGroupArn(),
		Format:         jsii.String(accessLogFormat()),
	})

	authorizer := awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("JwtAuthorizer"), jsii.String(s.Issuer),
		&awsapigatewayv2authorizers.HttpJwtAuthorizerProps{
			AuthorizerName: jsii.String("oidc"),
			JwtAudience:    jsii.Strings(s.Audience...),
		})

	a := &Api{
		Construct: c,
		HttpApi:   api,
		Stage:     stage,
		// https://<id>.execute-api.<region>.amazonaws.com -> the host name
		Domain: awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), api.ApiEndpoint(), nil)),
	}
	// The back office's functions share one role per table access level,
	// which keeps the stack under CloudFormation's resource limit
	// (docs/adr/0100); each role still holds only its level's table actions.
	backOffice := map[operations.TableAccess]awsiam.Role{}
	for _, op := range props.Operations {
		var role awsiam.Role
		// A back-office function that calls the payment provider gets a
		// role of its own, so that only it may read the provider's keys.
		if op.BackOffice() && !op.CallsProvider() {
			if backOffice[op.Table] == nil {
				role = awsiam.NewRole(c, jsii.String("BackOffice"+pascal(strings.ReplaceAll(op.Table.String(), "-", ""))+"Role"), &awsiam.RoleProps{
					AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
					Description: jsii.String("the back office's functions with table access " + op.Table.String()),
				})
				grantTable(role, props.Table, props.Indexes, op.Table)
				backOffice[op.Table] = role
			}
			role = backOffice[op.Table]
		}
		fn := newOperationFunction(c, op, props, retention, removal, role)
		if role == nil {
			grantTable(fn.Role(), props.Table, props.Indexes, op.Table)
		}
		var auth awsapigatewayv2.IHttpRouteAuthorizer
		if op.Auth == operations.Buyer || op.Auth == operations.Staff {
			auth = authorizer
		}
		var target awslambda.IFunction = fn
		var alias awslambda.Alias
		if slices.Contains(props.HotOperations, op.ID) {
			alias = fn.AddAlias(jsii.String(LiveAlias), nil)
			target = alias
		}
		routes := api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(APIPrefix + op.Path),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(op.Method)},
			Integration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(pascal(op.ID)), target, nil),
			Authorizer:  auth,
		})
		a.Functions = append(a.Functions, Function{Op: op, Fn: fn, Route: (*routes)[0], Alias: alias})
	}
	return a
}

// newOperationFunction is one operation's Lambda: provided.al2023 on arm64,
// the bootstrap built by `make build`, memory from the registry, X-Ray and
// JSON logs in its own log group. Its logical id is stable and readable
// (ListCinemasFunction) so `sam local invoke` and the docs can name it.
// A nil role makes the function its own.
func newOperationFunction(scope constructs.Construct, op operations.Operation, props ApiProps, retention awslogs.RetentionDays, removal awscdk.RemovalPolicy, role awsiam.Role) awslambda.Function {
	s := props.Settings
	name := pascal(op.ID)
	logs := awslogs.NewLogGroup(scope, jsii.String(name+"Logs"), &awslogs.LogGroupProps{
		Retention:     retention,
		RemovalPolicy: removal,
	})
	// An own role instead of AWSLambdaBasicExecutionRole, whose logs
	// permissions reach every log group of the account: this one writes to
	// the function's log group only.
	if role == nil {
		role = awsiam.NewRole(scope, jsii.String(name+"Role"), &awsiam.RoleProps{
			AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
			Description: jsii.String("the " + op.ID + " function"),
		})
	}
	logs.GrantWrite(role)
	env := map[string]*string{
		"TABLE_NAME":                props.Table.TableName(),
		"SALES_CLOSE_AFTER_MINUTES": jsii.String(strconv.Itoa(s.SalesCloseAfterMinutes)),
		"LOG_LEVEL":                 jsii.String(s.LogLevel),
	}
	if len(s.StaffEmails) > 0 {
		env["STAFF_EMAILS"] = jsii.String(strings.Join(s.StaffEmails, ","))
	}
	if s.Env == "dev" {
		// Declared (empty: the AWS endpoint) so that `sam local` can point
		// it at DynamoDB Local through --env-vars; SAM only overrides
		// variables the template declares.
		env["DYNAMODB_ENDPOINT"] = jsii.String("")
	}
	fn := awslambda.NewFunction(scope, jsii.String(name), &awslambda.FunctionProps{
		Description:   jsii.String(fmt.Sprintf("%s %s%s (%s)", op.Method, APIPrefix, op.Path, op.ID)),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          awslambda.Code_FromAsset(jsii.String(filepath.Join(props.FunctionsDir, op.Function())), nil),
		MemorySize:    jsii.Number(float64(op.MemoryMB())),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(10)),
		Environment:   &env,
		LogGroup:      logs,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		Tracing:       awslambda.Tracing_ACTIVE,
		Role:          role,
	})
	fn.Node().DefaultChild().(awscdk.CfnResource).OverrideLogicalId(jsii.String(FunctionLogicalID(op)))
	return fn
}

// Table actions by access level. Scan is in neither: no operation scans (only
// the seed and the tests do, with an engineer's credentials). Transactions
// need no action of their own; DynamoDB authorizes each item's Put, Update,
// Delete or ConditionCheckItem.
var (
	tableReadActions  = []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"}
	tableWriteActions = []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
)

// grantTable gives a role the table actions of an access level, on the table
// and on each named index (Query only), never with a wildcard resource.
func grantTable(role awsiam.IRole, table awsdynamodb.ITable, indexes []string, access operations.TableAccess) {
	if access != operations.ReadOnly && access != operations.ReadWrite {
		return
	}
	actions := tableReadActions
	if access == operations.ReadWrite {
		actions = append(slices.Clone(tableReadActions), tableWriteActions...)
	}
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings(actions...),
		Resources: jsii.Strings(*table.TableArn()),
	}))
	if len(indexes) == 0 {
		return
	}
	var arns []string
	for _, ix := range indexes {
		arns = append(arns, *table.TableArn()+"/index/"+ix)
	}
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("dynamodb:Query"),
		Resources: jsii.Strings(arns...),
	}))
}

// FunctionLogicalID is the CloudFormation logical id of an operation's
// function: ListCinemasFunction for listCinemas.
func FunctionLogicalID(op operations.Operation) string { return pascal(op.ID) + "Function" }

func pascal(id string) string { return strings.ToUpper(id[:1]) + id[1:] }

// accessLogFormat is one JSON line per request, with the fields a support
// engineer needs to follow a request into the function's logs.
func accessLogFormat() string {
	b, _ := json.Marshal(map[string]string{
		"requestId":          "$context.requestId",
		"ip":                 "$context.identity.sourceIp",
		"requestTime":        "$context.requestTime",
		"httpMethod":         "$context.httpMethod",
		"routeKey":           "$context.routeKey",
		"path":               "$context.path",
		"status":             "$context.status",
		"protocol":           "$context.protocol",
		"responseLength":     "$context.responseLength",
		"responseLatency":    "$context.responseLatency",
		"integrationLatency": "$context.integrationLatency",
		"integrationError":   "$context.integrationErrorMessage",
		"authorizerError":    "$context.authorizer.error",
		"userAgent":          "$context.identity.userAgent",
	})
	return string(b)
}

// retentionDays maps a day count to the nearest CloudWatch retention at or
// above it.
func retentionDays(days int) awslogs.RetentionDays {
	steps := []struct {
		days int
		r    awslogs.RetentionDays
	}{
		{1, awslogs.RetentionDays_ONE_DAY}, {3, awslogs.RetentionDays_THREE_DAYS},
		{5, awslogs.RetentionDays_FIVE_DAYS}, {7, awslogs.RetentionDays_ONE_WEEK},
		{14, awslogs.RetentionDays_TWO_WEEKS}, {30, awslogs.RetentionDays_ONE_MONTH},
		{60, awslogs.RetentionDays_TWO_MONTHS}, {90, awslogs.RetentionDays_THREE_MONTHS},
		{180, awslogs.RetentionDays_SIX_MONTHS}, {365, awslogs.RetentionDays_ONE_YEAR},
	}
	for _, st := range steps {
		if days <= st.days {
			return st.r
		}
	}
	return awslogs.RetentionDays_TWO_YEARS
}
