package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"bilhetagem/internal/dynamo"
	"bilhetagem/internal/operations"
	"bilhetagem/internal/spaconfig"
)

// The stacks are synthesized once per environment and shared by the tests:
// a synth through jsii takes seconds.
var (
	synthOnce sync.Map // env -> *synthed
	outDir    string   // the cloud assembly of the tests, removed at the end
)

func TestMain(m *testing.M) {
	// The Makefile exports it too; plain `go test` should not print jsii's
	// Node 20 banner either.
	os.Setenv("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
	dir, err := os.MkdirTemp("", "bilhetagem-cdk-out-")
	if err != nil {
		panic(err)
	}
	outDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type synthed struct {
	once     sync.Once
	stack    *Stack
	template assertions.Template
	json     map[string]any
	// nested are the nested stacks' templates, by construct path
	// (nestedTemplate, nestedResources).
	nested map[string]map[string]any
	err    any
}

// nestedStacks are the stack's nested stacks: the reconciliation, the
// per-function alarms and the notice mail.
// TestStackStaysUnderTheResourceLimit checks the parent holds no other.
func (s *Stack) nestedStacks() []awscdk.NestedStack {
	return []awscdk.NestedStack{s.ReconciliationStack, s.Ops.FunctionAlarmsStack, s.NoticeMailStack}
}

func testSettings(env string) Settings {
	return Settings{
		Env:                    env,
		Region:                 "sa-east-1",
		Issuer:                 GoogleIssuer,
		Audience:               []string{"test-client.apps.googleusercontent.com"},
		CorsOrigins:            []string{"http://localhost:4200"},
		ThrottleRate:           2000,
		ThrottleBurst:          4000,
		SalesCloseAfterMinutes: 30,
		LogLevel:               "info",
		LogRetentionDays:       30,
		LatencyP99Millis:       1500,
		StaffEmails:            staffEmails(env),
		Payments:               map[string]string{"dev": PaymentsSimulator, "prod": PaymentsStripe}[env],
		StripePublishableKey:   map[string]string{"prod": "pk_test_bilhetagem"}[env],
		MailFrom:               cdkJSONEnvironment(env).MailFrom,
		MailIdentity:           cdkJSONEnvironment(env).MailIdentity,
	}
}

// cdkJSONEnvironment is an environment's settings as ../cdk.json gives
// them (the tests' own settings take the sender from there).
func cdkJSONEnvironment(env string) Settings {
	raw, err := os.ReadFile(filepath.Join("..", "cdk.json"))
	if err != nil {
		panic(err)
	}
	var cdkJSON struct {
		Context struct {
			Environments map[string]Settings `json:"bilhetagem:environments"`
		} `json:"context"`
	}
	if err := json.Unmarshal(raw, &cdkJSON); err != nil {
		panic(err)
	}
	s, ok := cdkJSON.Context.Environments[env]
	if !ok {
		panic("cdk.json has no environment " + env)
	}
	return s
}

// staffEmails gives prod an allow-list and dev none, so both shapes are
// synthesized.
func staffEmails(env string) []string {
	if env == "prod" {
		return []string{"gerente@exemplo.com.br", "bilheteria@exemplo.com.br"}
	}
	return nil
}

// stubFunctions writes a placeholder bootstrap per operation, so the stack
// synthesizes without `make build` (the content of an asset does not matter
// to the template).
func stubFunctions(t *testing.T) string {
	dir := filepath.Join(os.TempDir(), "bilhetagem-cdk-test-functions")
	for _, op := range operations.All {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, op.Function()), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, op.Function(), "bootstrap"), []byte("#!/bin/sh\n"), 0o755))
	}
	return dir
}

// synth builds the stack of an environment (once) with cdk-nag attached.
func synth(t *testing.T, env string) *synthed {
	t.Helper()
	v, _ := synthOnce.LoadOrStore(env, &synthed{})
	s := v.(*synthed)
	s.once.Do(func() {
		defer func() { s.err = recover() }()
		dir := stubFunctions(t)
		app := awscdk.NewApp(&awscdk.AppProps{
			Outdir:  jsii.String(outDir),
			Context: &map[string]any{"aws:cdk:enable-asset-metadata": true, "aws:cdk:enable-path-metadata": true},
		})
		s.stack = NewStack(app, StackName(env), StackProps{
			StackProps:   awscdk.StackProps{Env: &awscdk.Environment{Region: jsii.String("sa-east-1")}},
			Settings:     testSettings(env),
			Operations:   operations.All,
			Schema:       dynamo.Table,
			FunctionsDir: dir,
			WorkerDir:    stubWorker(t),
		})
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
		s.template = assertions.Template_FromStack(s.stack.Stack, nil)
		raw, err := json.Marshal(s.template.ToJSON())
		if err != nil {
			panic(err)
		}
		if err := json.Unmarshal(raw, &s.json); err != nil {
			panic(err)
		}
		s.nested = map[string]map[string]any{}
		for _, ns := range s.stack.nestedStacks() {
			raw, err := json.Marshal(assertions.Template_FromStack(ns, nil).ToJSON())
			if err != nil {
				panic(err)
			}
			var tpl map[string]any
			if err := json.Unmarshal(raw, &tpl); err != nil {
				panic(err)
			}
			s.nested[*ns.Node().Path()] = tpl
		}
	})
	require.Nil(t, s.err, "synth %s", env)
	return s
}

// resources returns the template's resources of a type, by logical id.
func (s *synthed) resources(typ string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for id, r := range s.json["Resources"].(map[string]any) {
		res := r.(map[string]any)
		if res["Type"] == typ {
			out[id] = res
		}
	}
	return out
}

func props(r map[string]any) map[string]any {
	p, _ := r["Properties"].(map[string]any)
	return p
}

// noPanic turns a failed CDK assertion (a panic) into a test failure.
func noPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: %v", name, r)
		}
	}()
	f()
}

func TestEveryOperationHasARouteAndAFunction(t *testing.T) {
	s := synth(t, "dev")
	routes := map[string]map[string]any{}
	for _, r := range s.resources("AWS::ApiGatewayV2::Route") {
		routes[props(r)["RouteKey"].(string)] = r
	}
	fns := s.resources("AWS::Lambda::Function")
	assert.Len(t, routes, len(operations.All), "one route per operation, nothing else")
	for _, op := range operations.All {
		key := op.Method + " " + APIPrefix + op.Path
		_, ok := routes[key]
		assert.True(t, ok, "%s has no route %q", op.ID, key)
		fn, ok := fns[FunctionLogicalID(op)]
		if !assert.True(t, ok, "%s has no function %s", op.ID, FunctionLogicalID(op)) {
			continue
		}
		p := props(fn)
		assert.Equal(t, "provided.al2023", p["Runtime"], op.ID)
		assert.Equal(t, []any{"arm64"}, p["Architectures"], op.ID)
		assert.Equal(t, "bootstrap", p["Handler"], op.ID)
		assert.EqualValues(t, op.MemoryMB(), p["MemorySize"], op.ID)
		assert.Equal(t, map[string]any{"Mode": "Active"}, p["TracingConfig"], op.ID)
		vars := p["Environment"].(map[string]any)["Variables"].(map[string]any)
		assert.Contains(t, vars, "TABLE_NAME", op.ID)
		assert.Equal(t, "30", vars["SALES_CLOSE_AFTER_MINUTES"], op.ID)
		assert.Equal(t, "info", vars["LOG_LEVEL"], op.ID)
		assert.NotContains(t, vars, "STAFF_EMAILS", "dev has no staff allow-list")
		// SAM local finds the code through the asset metadata.
		md, _ := fn["Metadata"].(map[string]any)
		assert.Equal(t, "Code", md["aws:asset:property"], op.ID)
		assert.NotEmpty(t, md["aws:asset:path"], op.ID)
	}
	// Every function belongs to an operation, but for the purchase
	// workflow's step worker, the order sweeper and the scaling planner (no
	// CDK helper functions).
	assert.Len(t, fns, len(operations.All)+3)
}

func TestProdFunctionsGetTheStaffAllowList(t *testing.T) {
	s := synth(t, "prod")
	fns := s.resources("AWS::Lambda::Function")
	for _, op := range operations.All {
		fn, ok := fns[FunctionLogicalID(op)]
		if !assert.True(t, ok, op.ID) {
			continue
		}
		vars := props(fn)["Environment"].(map[string]any)["Variables"].(map[string]any)
		assert.Equal(t, "gerente@exemplo.com.br,bilheteria@exemplo.com.br", vars["STAFF_EMAILS"], op.ID)
	}
}

func TestJWTAuthorizerGuardsExactlyTheBuyerAndStaffRoutes(t *testing.T) {
	s := synth(t, "dev")
	auths := s.resources("AWS::ApiGatewayV2::Authorizer")
	require.Len(t, auths, 1)
	var authID string
	for id, a := range auths {
		authID = id
		p := props(a)
		assert.Equal(t, "JWT", p["AuthorizerType"])
		jwt := p["JwtConfiguration"].(map[string]any)
		assert.Equal(t, GoogleIssuer, jwt["Issuer"])
		assert.Equal(t, []any{"test-client.apps.googleusercontent.com"}, jwt["Audience"])
		assert.Equal(t, []any{"$request.header.Authorization"}, p["IdentitySource"])
	}
	byKey := map[string]map[string]any{}
	for _, r := range s.resources("AWS::ApiGatewayV2::Route") {
		byKey[props(r)["RouteKey"].(string)] = props(r)
	}
	for _, op := range operations.All {
		r := byKey[op.Method+" "+APIPrefix+op.Path]
		require.NotNil(t, r, op.ID)
		if op.Auth == operations.Buyer || op.Auth == operations.Staff {
			assert.Equal(t, "JWT", r["AuthorizationType"], "%s (%s) must need a token", op.ID, op.Auth)
			assert.Equal(t, map[string]any{"Ref": authID}, r["AuthorizerId"], op.ID)
		} else {
			assert.Equal(t, "NONE", r["AuthorizationType"], "%s (%s) must be open", op.ID, op.Auth)
			assert.NotContains(t, r, "AuthorizerId", op.ID)
		}
	}
}

// writeActions are every DynamoDB action that changes data or the table.
var writeActions = regexp.MustCompile(`^dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite|PartiQL(Insert|Update|Delete)|Create|Restore|Import|Tag|Untag)`)

func TestFunctionPoliciesHoldOnlyTheTableAccessTheirOperationNeeds(t *testing.T) {
	s := synth(t, "dev")
	roleOf := map[string]string{} // function logical id -> role logical id
	for id, fn := range s.resources("AWS::Lambda::Function") {
		role := props(fn)["Role"].(map[string]any)["Fn::GetAtt"].([]any)
		roleOf[id] = role[0].(string)
	}
	actionsOf := map[string][]string{} // role logical id -> dynamodb actions
	smRole := logicalID(t, s, s.stack.Workflow.StateMachine.Role().Node().DefaultChild())
	plannerRole := logicalID(t, s, s.stack.Scaling.Role.Node().DefaultChild())
	for _, p := range s.resources("AWS::IAM::Policy") {
		pp := props(p)
		for _, role := range pp["Roles"].([]any) {
			roleID := role.(map[string]any)["Ref"].(string)
			for _, st := range pp["PolicyDocument"].(map[string]any)["Statement"].([]any) {
				stmt := st.(map[string]any)
				assert.Equal(t, "Allow", stmt["Effect"])
				var acts []any
				switch a := stmt["Action"].(type) {
				case string:
					acts = []any{a}
				case []any:
					acts = a
				}
				if stmt["Resource"] == "*" {
					allowed := `^xray:Put(TraceSegments|TelemetryRecords)$`
					if roleID == plannerRole {
						// Application Auto Scaling's describes have no
						// resource-level permissions, and DescribeAlarms lists
						// by prefix (cdk/scaling.go).
						allowed = `^(application-autoscaling:Describe(ScalableTargets|ScheduledActions)|cloudwatch:DescribeAlarms)$`
					}
					if roleID == smRole {
						// Log delivery and X-Ray sampling have no
						// resource-level permissions.
						allowed = `^(xray:(Put(TraceSegments|TelemetryRecords)|GetSampling(Rules|Targets))|logs:(Create|Get|Update|Delete)LogDelivery|logs:ListLogDeliveries|logs:PutResourcePolicy|logs:DescribeResourcePolicies|logs:DescribeLogGroups)$`
					}
					for _, a := range acts {
						assert.Regexp(t, allowed, a, "only X-Ray (and the state machine's log delivery) may have Resource *")
					}
				}
				for _, a := range acts {
					act := a.(string)
					assert.NotEqual(t, "dynamodb:*", act, "no wildcard table access")
					assert.NotEqual(t, "*", act)
					if strings.HasPrefix(act, "dynamodb:") {
						actionsOf[roleID] = append(actionsOf[roleID], act)
					}
				}
			}
		}
	}
	for _, op := range operations.All {
		acts := actionsOf[roleOf[FunctionLogicalID(op)]]
		var writes []string
		for _, a := range acts {
			if writeActions.MatchString(a) {
				writes = append(writes, a)
			}
		}
		switch op.Table {
		case operations.NoTable:
			assert.Empty(t, acts, "%s never touches the table", op.ID)
		case operations.ReadOnly:
			assert.Contains(t, acts, "dynamodb:GetItem", op.ID)
			assert.Contains(t, acts, "dynamodb:Query", op.ID)
			assert.Empty(t, writes, "%s is read-only", op.ID)
		case operations.ReadWrite:
			assert.Contains(t, acts, "dynamodb:Query", op.ID)
			for _, w := range []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"} {
				assert.Contains(t, acts, w, op.ID)
			}
		}
	}
}

func TestTableIsBuiltFromTheSchema(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			tables := s.resources("AWS::DynamoDB::Table")
			require.Len(t, tables, 1)
			for _, tbl := range tables {
				p := props(tbl)
				assert.NotContains(t, p, "TableName", "no physical names")
				assert.Equal(t, "PAY_PER_REQUEST", p["BillingMode"])
				assert.Equal(t, map[string]any{"AttributeName": dynamo.Table.TTLAttribute, "Enabled": true}, p["TimeToLiveSpecification"])
				assert.Equal(t, map[string]any{"PointInTimeRecoveryEnabled": true}, p["PointInTimeRecoverySpecification"])
				assert.Equal(t, map[string]any{"SSEEnabled": true}, p["SSESpecification"])
				assert.Equal(t, []any{
					map[string]any{"AttributeName": dynamo.Table.PartitionKey, "KeyType": "HASH"},
					map[string]any{"AttributeName": dynamo.Table.SortKey, "KeyType": "RANGE"},
				}, p["KeySchema"])
				gsis := map[string]any{}
				for _, g := range p["GlobalSecondaryIndexes"].([]any) {
					gsis[g.(map[string]any)["IndexName"].(string)] = g
				}
				require.Len(t, gsis, len(dynamo.Table.Indexes))
				for _, ix := range dynamo.Table.Indexes {
					assert.Equal(t, map[string]any{
						"IndexName": ix.Name,
						"KeySchema": []any{
							map[string]any{"AttributeName": ix.PartitionKey, "KeyType": "HASH"},
							map[string]any{"AttributeName": ix.SortKey, "KeyType": "RANGE"},
						},
						"Projection": map[string]any{"ProjectionType": "ALL"},
					}, gsis[ix.Name])
				}
				var attrs []string
				for _, a := range p["AttributeDefinitions"].([]any) {
					am := a.(map[string]any)
					assert.Equal(t, "S", am["AttributeType"])
					attrs = append(attrs, am["AttributeName"].(string))
				}
				slices.Sort(attrs)
				assert.Equal(t, []string{"GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "PK", "SK"}, attrs)
				if env == "prod" {
					assert.Equal(t, "Retain", tbl["DeletionPolicy"])
					assert.Equal(t, "Retain", tbl["UpdateReplacePolicy"])
					assert.Equal(t, true, p["DeletionProtectionEnabled"])
				} else {
					assert.Equal(t, "Delete", tbl["DeletionPolicy"])
					assert.Equal(t, false, p["DeletionProtectionEnabled"])
				}
			}
		})
	}
}

func TestSiteBucketIsPrivateAndOnlyCloudFrontReadsIt(t *testing.T) {
	s := synth(t, "prod")
	noPanic(t, "bucket blocks public access", func() {
		s.template.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"PublicAccessBlockConfiguration": map[string]any{
				"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
			},
			"VersioningConfiguration": map[string]any{"Status": "Enabled"},
		})
	})
	for id, b := range s.resources("AWS::S3::Bucket") {
		p := props(b)
		assert.NotContains(t, p, "BucketName", "%s: no physical names", id)
		assert.NotContains(t, p, "WebsiteConfiguration", "%s: not a public website", id)
		assert.Equal(t, map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
			p["PublicAccessBlockConfiguration"], id)
	}
	oacs := s.resources("AWS::CloudFront::OriginAccessControl")
	require.Len(t, oacs, 1)
	for _, oac := range oacs {
		cfg := props(oac)["OriginAccessControlConfig"].(map[string]any)
		assert.Equal(t, "s3", cfg["OriginAccessControlOriginType"])
		assert.Equal(t, "always", cfg["SigningBehavior"])
		assert.Equal(t, "sigv4", cfg["SigningProtocol"])
	}
	// The site bucket's policy lets only the CloudFront service, for this
	// distribution, read objects.
	siteID := logicalID(t, s, s.stack.Web.Bucket.Node().DefaultChild())
	found := false
	for _, bp := range s.resources("AWS::S3::BucketPolicy") {
		if props(bp)["Bucket"].(map[string]any)["Ref"] != siteID {
			continue
		}
		for _, st := range props(bp)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
			stmt := st.(map[string]any)
			if stmt["Effect"] != "Allow" {
				continue
			}
			found = true
			assert.Equal(t, map[string]any{"Service": "cloudfront.amazonaws.com"}, stmt["Principal"])
			assert.Equal(t, "s3:GetObject", stmt["Action"])
			assert.Contains(t, stmt["Condition"].(map[string]any)["StringEquals"], "AWS:SourceArn")
		}
	}
	assert.True(t, found, "the site bucket has a CloudFront read grant")
}

func TestCloudFrontSendsApiPathsToTheHttpApiAndServesTheSPA(t *testing.T) {
	s := synth(t, "dev")
	dists := s.resources("AWS::CloudFront::Distribution")
	require.Len(t, dists, 1)
	var cfg map[string]any
	for _, d := range dists {
		cfg = props(d)["DistributionConfig"].(map[string]any)
	}
	origins := map[string]map[string]any{}
	for _, o := range cfg["Origins"].([]any) {
		om := o.(map[string]any)
		origins[om["Id"].(string)] = om
	}
	behaviours := cfg["CacheBehaviors"].([]any)
	require.Greater(t, len(behaviours), len(CatalogPaths))
	// The public catalog reads first, cached a few seconds; then /api/*.
	catalogPolicies := map[string]bool{}
	var catalogIDs []string
	for i, path := range CatalogPaths {
		b := behaviours[i].(map[string]any)
		assert.Equal(t, path, b["PathPattern"])
		assert.Equal(t, []any{"GET", "HEAD", "OPTIONS"}, b["AllowedMethods"], path)
		assert.Equal(t, "https-only", b["ViewerProtocolPolicy"], path)
		id, _ := json.Marshal(b["CachePolicyId"])
		catalogPolicies[string(id)] = true
		catalogIDs = append(catalogIDs, b["TargetOriginId"].(string))
	}
	assert.Len(t, catalogPolicies, 1, "one cache policy for the catalog")
	api := behaviours[len(CatalogPaths)].(map[string]any)
	assert.Equal(t, "/api/*", api["PathPattern"], "/api/* is matched right after the catalog reads")
	for _, id := range catalogIDs {
		assert.Equal(t, api["TargetOriginId"], id, "the catalog reads go to the HTTP API")
	}
	assert.Equal(t, "https-only", api["ViewerProtocolPolicy"])
	assert.Equal(t, []any{"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}, api["AllowedMethods"])
	assert.Equal(t, "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", api["CachePolicyId"], "CachingDisabled")
	assert.Equal(t, "b689b0a8-53d0-40ab-baf2-68738e2966ac", api["OriginRequestPolicyId"], "AllViewerExceptHostHeader")
	apiOrigin := origins[api["TargetOriginId"].(string)]
	require.NotNil(t, apiOrigin)
	custom := apiOrigin["CustomOriginConfig"].(map[string]any)
	assert.Equal(t, "https-only", custom["OriginProtocolPolicy"])
	assert.Equal(t, []any{"TLSv1.2"}, custom["OriginSSLProtocols"])
	domain, _ := json.Marshal(apiOrigin["DomainName"])
	assert.Contains(t, string(domain), "ApiEndpoint", "the /api origin is the HTTP API's endpoint")

	var patterns []string
	for _, b := range behaviours[len(CatalogPaths)+1:] {
		bm := b.(map[string]any)
		patterns = append(patterns, bm["PathPattern"].(string))
		assert.Equal(t, "658327ea-f89d-4fab-a63d-7e88639e58f6", bm["CachePolicyId"], "%s: CachingOptimized", bm["PathPattern"])
		assert.Contains(t, origins[bm["TargetOriginId"].(string)], "S3OriginConfig")
	}
	assert.Equal(t, []string{"*.js", "*.css", "/media/*"}, patterns)

	def := cfg["DefaultCacheBehavior"].(map[string]any)
	assert.Contains(t, origins[def["TargetOriginId"].(string)], "S3OriginConfig")
	assert.Equal(t, "redirect-to-https", def["ViewerProtocolPolicy"])
	fa := def["FunctionAssociations"].([]any)
	require.Len(t, fa, 1)
	assert.Equal(t, "viewer-request", fa[0].(map[string]any)["EventType"])
	assert.Equal(t, "index.html", cfg["DefaultRootObject"])
	assert.NotContains(t, cfg, "CustomErrorResponses", "an error-page fallback would swallow the API's 403/404")

	// Cache-Control per kind of file, security headers everywhere.
	cacheControl := map[string]string{}
	for _, p := range s.resources("AWS::CloudFront::ResponseHeadersPolicy") {
		c := props(p)["ResponseHeadersPolicyConfig"].(map[string]any)
		sec := c["SecurityHeadersConfig"].(map[string]any)
		for _, h := range []string{"ContentSecurityPolicy", "ContentTypeOptions", "FrameOptions", "ReferrerPolicy", "StrictTransportSecurity"} {
			assert.Contains(t, sec, h, c["Comment"])
		}
		if ch, ok := c["CustomHeadersConfig"].(map[string]any); ok {
			for _, item := range ch["Items"].([]any) {
				im := item.(map[string]any)
				if im["Header"] == "Cache-Control" {
					cacheControl[c["Comment"].(string)] = im["Value"].(string)
				}
			}
		}
	}
	assert.ElementsMatch(t, []string{cacheImmutable, cacheRevalidate}, mapValues(cacheControl))
}

func TestAlarmsCoverTheApiTheTableAndEveryFunction(t *testing.T) {
	s := synth(t, "dev")
	alarms := s.resources("AWS::CloudWatch::Alarm")
	ids := map[string]bool{}
	for _, a := range s.stack.Ops.Alarms {
		ids[logicalID(t, s, a.Node().DefaultChild())] = true
	}
	assert.Len(t, alarms, 8, "the API, the table, the workflow, its compensation, the sweeper and a stuck order "+
		"(one per function is in the function alarms' nested stack, and the reconciliation's two in its own: "+
		"TestAReconciliationMismatchOrFailureAlarms)")
	topics := s.resources("AWS::SNS::Topic")
	require.Len(t, topics, 1)
	topicID := logicalID(t, s, s.stack.Ops.Topic.Node().DefaultChild())
	require.Contains(t, topics, topicID)
	assert.Contains(t, props(topics[topicID]), "KmsMasterKeyId", "the topic is encrypted")
	topic := map[string]any{"Ref": topicID}
	for aid, a := range alarms {
		assert.True(t, ids[aid], "%s is one of Ops' alarms", aid)
		assert.Equal(t, []any{topic}, props(a)["AlarmActions"], aid)
		assert.Equal(t, []any{topic}, props(a)["OKActions"], aid)
	}

	// One alarm per operation, in the nested stack, on its function's
	// errors + throttles, to the same topic.
	fa := s.stack.Ops.FunctionAlarmsStack
	fnAlarms := s.nestedResources(fa, "AWS::CloudWatch::Alarm")
	assert.Len(t, fnAlarms, len(operations.All), "one alarm per operation")
	assert.Len(t, s.stack.Ops.FunctionAlarms, len(operations.All))
	nestedIDs := map[string]bool{}
	for _, a := range s.stack.Ops.FunctionAlarms {
		nestedIDs[nestedID(t, fa, a.Node().DefaultChild())] = true
	}
	opOfFn := map[string]string{} // function logical id -> operation
	for _, f := range s.stack.Api.Functions {
		opOfFn[FunctionLogicalID(f.Op)] = f.Op.ID
	}
	alarmed := map[string]int{} // operation -> alarms
	for aid, a := range fnAlarms {
		p := props(a)
		assert.True(t, nestedIDs[aid], "%s is one of Ops' function alarms", aid)
		require.Len(t, p["AlarmActions"], 1, aid)
		assert.Equal(t, topic, parentValue(t, s, fa, p["AlarmActions"].([]any)[0]), "%s: to the ops topic", aid)
		require.Len(t, p["OKActions"], 1, aid)
		assert.Equal(t, topic, parentValue(t, s, fa, p["OKActions"].([]any)[0]), aid)
		assert.EqualValues(t, 0, p["Threshold"], aid)
		assert.EqualValues(t, 1, p["EvaluationPeriods"], aid)
		assert.EqualValues(t, 1, p["DatapointsToAlarm"], aid)
		assert.Equal(t, "GreaterThanThreshold", p["ComparisonOperator"], aid)
		assert.Equal(t, "notBreaching", p["TreatMissingData"], aid)

		var expr string
		stats := map[string]string{} // metric id -> metric name
		fns := map[string]bool{}     // function logical ids the metrics name
		for _, raw := range p["Metrics"].([]any) {
			m := raw.(map[string]any)
			if e, ok := m["Expression"].(string); ok {
				expr = e
				assert.NotEqual(t, false, m["ReturnData"], "%s: the expression is what alarms", aid)
				continue
			}
			stat := m["MetricStat"].(map[string]any)
			metric := stat["Metric"].(map[string]any)
			assert.Equal(t, "AWS/Lambda", metric["Namespace"], aid)
			assert.Equal(t, "Sum", stat["Stat"], aid)
			assert.EqualValues(t, 300, stat["Period"], aid)
			stats[m["Id"].(string)] = metric["MetricName"].(string)
			for _, d := range metric["Dimensions"].([]any) {
				dim := d.(map[string]any)
				require.Equal(t, "FunctionName", dim["Name"], aid)
				fn, _ := parentValue(t, s, fa, dim["Value"]).(map[string]any)
				fns[fmt.Sprint(fn["Ref"])] = true
			}
		}
		assert.Equal(t, "errors + throttles", expr, aid)
		assert.Equal(t, map[string]string{"errors": "Errors", "throttles": "Throttles"}, stats, aid)
		require.Len(t, fns, 1, "%s watches one function", aid)
		for fn := range fns {
			op, ok := opOfFn[fn]
			require.True(t, ok, "%s watches %s, an API function", aid, fn)
			alarmed[op]++
			assert.True(t, strings.HasPrefix(p["AlarmDescription"].(string), op+": "), "%s: %s", aid, p["AlarmDescription"])
		}
	}
	for _, op := range operations.All {
		assert.Equal(t, 1, alarmed[op.ID], "%s has one alarm", op.ID)
	}

	metricNames := map[string]bool{}
	for _, a := range append(mapValuesOf(alarms), mapValuesOf(fnAlarms)...) {
		raw, _ := json.Marshal(props(a))
		for _, m := range regexp.MustCompile(`"MetricName":"(\w+)"`).FindAllStringSubmatch(string(raw), -1) {
			metricNames[m[1]] = true
		}
	}
	for _, m := range []string{"5xx", "Count", "Latency", "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors", "Errors", "Throttles", "ExecutionsFailed"} {
		assert.True(t, metricNames[m], "an alarm watches %s", m)
	}
	require.Len(t, s.resources("AWS::CloudWatch::Dashboard"), 1)
}

func TestStagesAreThrottledAndLogged(t *testing.T) {
	s := synth(t, "dev")
	stages := s.resources("AWS::ApiGatewayV2::Stage")
	require.Len(t, stages, 1)
	for _, st := range stages {
		p := props(st)
		assert.Equal(t, "$default", p["StageName"])
		route := p["DefaultRouteSettings"].(map[string]any)
		assert.EqualValues(t, 2000, route["ThrottlingRateLimit"])
		assert.EqualValues(t, 4000, route["ThrottlingBurstLimit"])
		logs := p["AccessLogSettings"].(map[string]any)
		assert.Contains(t, logs["Format"], "$context.requestId")
		assert.Contains(t, logs, "DestinationArn")
	}
	for _, api := range s.resources("AWS::ApiGatewayV2::Api") {
		cors := props(api)["CorsConfiguration"].(map[string]any)
		assert.Equal(t, []any{"http://localhost:4200"}, cors["AllowOrigins"])
	}
}

func TestNoPhysicalNames(t *testing.T) {
	s := synth(t, "prod")
	names := regexp.MustCompile(`^(TableName|BucketName|FunctionName|TopicName|LogGroupName|RoleName|AlarmName|DashboardName|Name)$`)
	for id, r := range s.json["Resources"].(map[string]any) {
		for k, v := range props(r.(map[string]any)) {
			if _, literal := v.(string); literal && names.MatchString(k) {
				// Cache and headers policies need a Name; CDK generates
				// it from the construct path, unique per stack.
				typ := r.(map[string]any)["Type"].(string)
				// A Lambda alias's Name is scoped to its function.
				if strings.HasPrefix(typ, "AWS::CloudFront::") || strings.HasPrefix(typ, "AWS::ApiGatewayV2::") || typ == "AWS::Lambda::Alias" {
					continue
				}
				t.Errorf("%s (%s) sets %s", id, typ, k)
			}
		}
	}
}

func TestCdkNagAwsSolutionsHasNoUnsuppressedFindings(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			s := synth(t, env)
			ann := assertions.Annotations_FromStack(s.stack.Stack)
			for _, find := range []func(*string, any) *[]*cxapi.SynthesisMessage{ann.FindError, ann.FindWarning} {
				msgs := find(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*")))
				for _, m := range *msgs {
					t.Errorf("%s: %v", *m.Id, m.Entry.Data)
				}
			}
		})
	}
}

func TestSettingsFromContext(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "cdk.json"))
	require.NoError(t, err)
	var cdkJSON struct {
		App     string         `json:"app"`
		Context map[string]any `json:"context"`
	}
	require.NoError(t, json.Unmarshal(raw, &cdkJSON))
	assert.Equal(t, "go run ./cdk", cdkJSON.App)
	get := func(overrides map[string]any) func(string) any {
		return func(k string) any {
			if v, ok := overrides[k]; ok {
				return v
			}
			return cdkJSON.Context[k]
		}
	}

	t.Run("dev without a client id fails and says how to pass it", func(t *testing.T) {
		_, err := settingsFromContext(get(nil))
		require.Error(t, err)
		assert.Contains(t, err.Error(), ctxClientID)
	})
	t.Run("dev with a client id is valid and trusts Google", func(t *testing.T) {
		s, err := settingsFromContext(get(map[string]any{ctxClientID: "abc.apps.googleusercontent.com"}))
		require.NoError(t, err)
		assert.Equal(t, "dev", s.Env)
		assert.False(t, s.Retain())
		assert.Equal(t, GoogleIssuer, s.Issuer)
		assert.Equal(t, []string{"abc.apps.googleusercontent.com"}, s.Audience)
	})
	t.Run("prod is retained and has no CORS", func(t *testing.T) {
		s, err := settingsFromContext(get(map[string]any{ctxEnv: "prod", ctxClientID: "abc.apps.googleusercontent.com", ctxStripeKey: "pk_live_abc"}))
		require.NoError(t, err)
		assert.True(t, s.Retain())
		assert.Empty(t, s.CorsOrigins)
		assert.Equal(t, "sa-east-1", s.Region)
	})
	t.Run("dev pays through the simulator and prod through Stripe", func(t *testing.T) {
		dev, err := settingsFromContext(get(map[string]any{ctxClientID: "abc.apps.googleusercontent.com"}))
		require.NoError(t, err)
		assert.Equal(t, PaymentsSimulator, dev.Payments)
		_, err = settingsFromContext(get(map[string]any{ctxEnv: "prod", ctxClientID: "abc.apps.googleusercontent.com"}))
		assert.ErrorContains(t, err, ctxStripeKey, "Stripe needs the account's publishable key, and says how to give it")
		prod, err := settingsFromContext(get(map[string]any{ctxEnv: "prod", ctxClientID: "abc.apps.googleusercontent.com", ctxStripeKey: "pk_live_abc"}))
		require.NoError(t, err)
		assert.Equal(t, PaymentsStripe, prod.Payments)
		assert.Equal(t, &spaconfig.Payments{Provider: "stripe", PublishableKey: "pk_live_abc"}, prod.SPAConfig().Payments)
	})
	t.Run("prod on the simulator fails and says why", func(t *testing.T) {
		s := testSettings("prod")
		s.Payments = PaymentsSimulator
		err := s.Validate()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "the simulator takes no money")
		s.Payments = "pagseguro"
		assert.ErrorContains(t, s.Validate(), `payments must be "stripe" or "simulator"`)
		s = testSettings("dev")
		s.Payments = ""
		assert.Error(t, s.Validate(), "a provider must be named")
	})
	t.Run("an unknown environment fails", func(t *testing.T) {
		_, err := settingsFromContext(get(map[string]any{ctxEnv: "staging", ctxClientID: "x"}))
		require.Error(t, err)
	})
	t.Run("the staff allow-list comes from -c bilhetagem:staffEmails", func(t *testing.T) {
		s, err := settingsFromContext(get(map[string]any{ctxClientID: "abc.apps.googleusercontent.com",
			ctxStaffEmails: "gerente@exemplo.com.br, bilheteria@exemplo.com.br"}))
		require.NoError(t, err)
		assert.Equal(t, []string{"gerente@exemplo.com.br", "bilheteria@exemplo.com.br"}, s.StaffEmails)
	})
}

func TestCheckFunctionsDirNamesTheMissingBootstraps(t *testing.T) {
	err := CheckFunctionsDir(t.TempDir(), operations.All[:2])
	require.Error(t, err)
	assert.Contains(t, err.Error(), "get-health, list-cinemas")
	assert.Contains(t, err.Error(), "make build")
	require.NoError(t, CheckFunctionsDir(stubFunctions(t), operations.All))
}

func logicalID(t *testing.T, s *synthed, c any) string {
	t.Helper()
	el, ok := c.(awscdk.CfnElement)
	require.True(t, ok, "not a CfnElement")
	return *s.stack.Stack.GetLogicalId(el)
}

func mapValuesOf[V any](m map[string]V) []V {
	var out []V
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestStackStaysUnderTheResourceLimit keeps headroom under CloudFormation's
// 500 resources per stack (docs/adr/0100): a change that crosses 450 needs
// a decision (shared roles, nested stacks), not a failed deployment. Each
// nested stack is a stack of its own with the same limit, and takes the
// parent's values it references as parameters, of which CloudFormation
// allows 200: the same headroom, 180.
func TestStackStaysUnderTheResourceLimit(t *testing.T) {
	parent := map[string]int{}
	defer func() {
		// ADR 0100 gives the parent's counts; they stay true.
		adr, err := os.ReadFile("../docs/adr/0100-one-lambda-per-operation-from-the-registry.md")
		require.NoError(t, err)
		text := strings.Join(strings.Fields(string(adr)), " ")
		assert.Contains(t, text, fmt.Sprintf("parent has %d (dev) / %d (prod) resources", parent["dev"], parent["prod"]))
	}()
	for _, env := range []string{"dev", "prod"} {
		s := synth(t, env)
		n := len(s.json["Resources"].(map[string]any))
		parent[env] = n
		t.Logf("%s: %d resources", env, n)
		assert.LessOrEqual(t, n, 450, "%s: %d resources", env, n)
		assert.Len(t, s.resources("AWS::CloudFormation::Stack"), len(s.stack.nestedStacks()), "%s: every nested stack is checked", env)
		for _, ns := range s.stack.nestedStacks() {
			tpl := s.nestedTemplate(ns)
			name := *ns.Node().Id()
			n := len(tpl["Resources"].(map[string]any))
			params, _ := tpl["Parameters"].(map[string]any)
			t.Logf("%s: %s: %d resources, %d parameters", env, name, n, len(params))
			assert.LessOrEqual(t, n, 450, "%s: %s: %d resources", env, name, n)
			assert.LessOrEqual(t, len(params), 180, "%s: %s: %d parameters", env, name, len(params))
		}
	}
}

// TestCatalogReadsAreCachedAtTheEdgeForSeconds: only public GET operations
// sit behind the catalog's cache, it keys on the query string alone (no
// header or cookie, so a buyer's token is neither keyed on nor sent), and
// keeps an answer CatalogCacheSeconds at most.
func TestCatalogReadsAreCachedAtTheEdgeForSeconds(t *testing.T) {
	for _, path := range CatalogPaths {
		matched := 0
		for _, op := range operations.All {
			full := APIPrefix + op.Path
			if full == path || (strings.HasSuffix(path, "/*") && strings.HasPrefix(full, strings.TrimSuffix(path, "*")) &&
				!strings.Contains(strings.TrimPrefix(full, strings.TrimSuffix(path, "*")), "/")) {
				matched++
				assert.Equal(t, operations.Public, op.Auth, "%s serves %s, which is not public", path, op.ID)
				assert.Equal(t, "GET", op.Method, "%s serves %s", path, op.ID)
			}
		}
		assert.NotZero(t, matched, "%s serves no operation", path)
	}
	s := synth(t, "prod")
	var found int
	for _, p := range s.resources("AWS::CloudFront::CachePolicy") {
		c := props(p)["CachePolicyConfig"].(map[string]any)
		if !strings.Contains(fmt.Sprint(c["Comment"]), "catalog") {
			continue
		}
		found++
		assert.EqualValues(t, 0, c["MinTTL"])
		assert.EqualValues(t, CatalogCacheSeconds, c["DefaultTTL"])
		assert.EqualValues(t, CatalogCacheSeconds, c["MaxTTL"])
		key := c["ParametersInCacheKeyAndForwardedToOrigin"].(map[string]any)
		assert.Equal(t, "all", key["QueryStringsConfig"].(map[string]any)["QueryStringBehavior"])
		assert.Equal(t, "none", key["HeadersConfig"].(map[string]any)["HeaderBehavior"])
		assert.Equal(t, "none", key["CookiesConfig"].(map[string]any)["CookieBehavior"])
	}
	assert.Equal(t, 1, found)
}
